import { referenceArgs, type ReferenceArgTable } from '@pixelrepa/nn';

/** Everything that defines a Masked Transformer Adapter (the reference constructor's arguments). */
export interface MTAConfig {
  /** Image side in pixels and patch size of the JiT it adapts (they fix the token grid). */
  inputSize: number;
  patchSize: number;
  /** Width of the JiT tokens it reads. */
  hiddenSize: number;
  depth: number;
  numHeads: number;
  mlpRatio: number;
  /** Width of the target encoder's tokens (e.g. 768 for DINOv2 ViT-B). */
  outChannels: number;
  inContextLen: number;
  numClasses: number;
}

const base = { inputSize: 256, patchSize: 16, depth: 2, mlpRatio: 4, inContextLen: 32, numClasses: 1000, outChannels: 768 } as const;

/** The paper's adapters (2 JiT blocks at the JiT's width), targeting DINOv2 ViT-B (768). */
export const mtaPresets = {
  'MTA-B/16': { ...base, hiddenSize: 768, numHeads: 12 },
  'MTA-L/16': { ...base, hiddenSize: 1024, numHeads: 16 },
  'MTA-H/16': { ...base, hiddenSize: 1280, numHeads: 16 },
} satisfies Record<string, MTAConfig>;

export type MTAPresetName = keyof typeof mtaPresets;

/** A preset by name, with overrides; unknown names list the known ones. */
export function mtaConfig(name: string, overrides: Partial<MTAConfig> = {}): MTAConfig {
  const preset = (mtaPresets as Record<string, MTAConfig>)[name];
  if (!preset) throw new Error(`unknown MTA preset "${name}"; known presets: ${Object.keys(mtaPresets).join(', ')}`);
  return { ...preset, ...overrides };
}

/** The reference constructor's keyword arguments (`hidden_size`, `out_channels`, …) → MTAConfig. */
export function mtaConfigFromReference(args: Record<string, unknown>): MTAConfig {
  return referenceArgs<MTAConfig>(args, mtaReferenceArgs, 'MTA');
}

/** The reference MTA constructor's keywords and defaults, by our field. */
const mtaReferenceArgs: ReferenceArgTable<MTAConfig> = {
  inputSize: ['input_size', 256],
  patchSize: ['patch_size', 16],
  hiddenSize: ['hidden_size', 1024],
  depth: ['depth', 4],
  numHeads: ['num_heads', 16],
  mlpRatio: ['mlp_ratio', 4],
  outChannels: ['out_channels', 3],
  inContextLen: ['in_context_len', 32],
  numClasses: ['num_classes', 1000],
};
