import { referenceArgs, swigluHiddenWidth, type ReferenceArgTable } from '@pixelrepa/nn';
/** Everything that defines a JiT network (the reference constructor's arguments). */
export interface JiTConfig {
  /** Image side in pixels (square images). */
  inputSize: number;
  patchSize: number;
  inChannels: number;
  hiddenSize: number;
  depth: number;
  numHeads: number;
  mlpRatio: number;
  /** Attention-weight dropout, applied only in the middle half of the blocks. */
  attnDrop: number;
  /** Projection dropout, applied only in the middle half of the blocks. */
  projDrop: number;
  numClasses: number;
  bottleneckDim: number;
  /** In-context class tokens prepended at block `inContextStart` (0 = none). */
  inContextLen: number;
  inContextStart: number;
}

const base = { inChannels: 3, mlpRatio: 4, attnDrop: 0, projDrop: 0, numClasses: 1000, inContextLen: 32 } as const;

const sizes = {
  B: { depth: 12, hiddenSize: 768, numHeads: 12, bottleneckDim: 128, inContextStart: 4 },
  L: { depth: 24, hiddenSize: 1024, numHeads: 16, bottleneckDim: 128, inContextStart: 8 },
  H: { depth: 32, hiddenSize: 1280, numHeads: 16, bottleneckDim: 256, inContextStart: 10 },
  G: { depth: 40, hiddenSize: 1664, numHeads: 16, bottleneckDim: 256, inContextStart: 10 },
} as const;

/** The paper's models: patch 16 at 256 px, patch 32 at 512 px. */
export const jitPresets = {
  'JiT-B/16': { ...base, ...sizes.B, inputSize: 256, patchSize: 16 },
  'JiT-L/16': { ...base, ...sizes.L, inputSize: 256, patchSize: 16 },
  'JiT-H/16': { ...base, ...sizes.H, inputSize: 256, patchSize: 16 },
  'JiT-G/16': { ...base, ...sizes.G, inputSize: 256, patchSize: 16 },
  'JiT-B/32': { ...base, ...sizes.B, inputSize: 512, patchSize: 32 },
  'JiT-L/32': { ...base, ...sizes.L, inputSize: 512, patchSize: 32 },
  'JiT-H/32': { ...base, ...sizes.H, inputSize: 512, patchSize: 32 },
  'JiT-G/32': { ...base, ...sizes.G, inputSize: 512, patchSize: 32 },
  /** A small model for demos, tests and the quickstart (32 px, 64 tokens). */
  'JiT-Tiny/4': {
    ...base,
    inputSize: 32,
    patchSize: 4,
    hiddenSize: 192,
    depth: 6,
    numHeads: 3,
    bottleneckDim: 32,
    inContextLen: 8,
    inContextStart: 2,
    numClasses: 10,
  },
} satisfies Record<string, JiTConfig>;

export type JiTPresetName = keyof typeof jitPresets;

/** A preset by name, with overrides (e.g. `{ numClasses: 10 }`); unknown names list the known ones. */
export function jitConfig(name: string, overrides: Partial<JiTConfig> = {}): JiTConfig {
  const preset = (jitPresets as Record<string, JiTConfig>)[name];
  if (!preset) throw new Error(`unknown JiT preset "${name}"; known presets: ${Object.keys(jitPresets).join(', ')}`);
  return { ...preset, ...overrides };
}

/** Checks a config for impossible combinations and says which field is wrong. */
export function validateJiTConfig(config: JiTConfig): void {
  const problems: string[] = [];
  if (config.inputSize % config.patchSize !== 0) problems.push(`inputSize ${config.inputSize} is not divisible by patchSize ${config.patchSize}`);
  if (config.hiddenSize % config.numHeads !== 0) problems.push(`hiddenSize ${config.hiddenSize} is not divisible by numHeads ${config.numHeads}`);
  else if ((config.hiddenSize / config.numHeads) % 4 !== 0)
    problems.push(`head width ${config.hiddenSize / config.numHeads} must be divisible by 4 for 2-D RoPE`);
  if (config.hiddenSize % 4 !== 0) problems.push(`hiddenSize ${config.hiddenSize} must be divisible by 4 for the sin-cos position embedding`);
  if (config.inContextStart < 0 || config.inContextStart > config.depth)
    problems.push(`inContextStart ${config.inContextStart} is outside [0, depth ${config.depth}]`);
  if (config.numClasses < 1) problems.push(`numClasses must be at least 1`);
  if (problems.length) throw new Error(`invalid JiT config: ${problems.join('; ')}`);
}

/** SwiGLU hidden width: `int(hidden · mlpRatio · 2/3)`. */
export function swigluHidden(config: JiTConfig): number {
  return swigluHiddenWidth(config.hiddenSize, config.mlpRatio);
}

/**
 * The reference constructor's keyword arguments (`input_size`, `hidden_size`, …, as in a fixture's
 * `config.constructor` or a checkpoint's args) → JiTConfig. Missing keys keep the reference defaults.
 */
export function jitConfigFromReference(args: Record<string, unknown>): JiTConfig {
  return referenceArgs<JiTConfig>(args, jitReferenceArgs, 'JiT');
}

/** The reference JiT constructor's keywords and defaults, by our field. */
const jitReferenceArgs: ReferenceArgTable<JiTConfig> = {
  inputSize: ['input_size', 256],
  patchSize: ['patch_size', 16],
  inChannels: ['in_channels', 3],
  hiddenSize: ['hidden_size', 1024],
  depth: ['depth', 24],
  numHeads: ['num_heads', 16],
  mlpRatio: ['mlp_ratio', 4],
  attnDrop: ['attn_drop', 0],
  projDrop: ['proj_drop', 0],
  numClasses: ['num_classes', 1000],
  bottleneckDim: ['bottleneck_dim', 128],
  inContextLen: ['in_context_len', 32],
  inContextStart: ['in_context_start', 8],
};

/**
 * Parameter count from the config alone (no allocation), as
 * `sum(p.numel() for p in model.parameters() if p.requires_grad)` — the fixed `pos_embed` excluded.
 */
export function jitParameterCount(config: JiTConfig): number {
  const { hiddenSize: D, patchSize: p, inChannels: C, bottleneckDim: bottleneck, numClasses, inContextLen, depth } = config;
  const headDim = D / config.numHeads;
  const hidden = swigluHidden(config);
  const linear = (i: number, o: number, bias = true) => i * o + (bias ? o : 0);
  const block = D + 2 * headDim + linear(D, 3 * D) + linear(D, D) + D + linear(D, 2 * hidden) + linear(hidden, D) + linear(D, 6 * D);
  return (
    linear(256, D) +
    linear(D, D) +
    (numClasses + 1) * D +
    linear(p * p * C, bottleneck, false) +
    linear(bottleneck, D) +
    inContextLen * D +
    depth * block +
    D +
    linear(D, p * p * C) +
    linear(D, 2 * D) +
    D
  );
}

/**
 * Multiply-accumulates of one forward pass for one image (the paper's "GFLOPs" are these MACs;
 * FLOPs = 2·MACs): every matmul (patch embedding, conditioning MLPs, qkv, q·kᵀ, attention·v,
 * projection, SwiGLU, adaLN, final layer). Elementwise work is not counted.
 */
export function jitForwardMacs(config: JiTConfig): number {
  const { hiddenSize: D, patchSize: p, inChannels: C, bottleneckDim: bottleneck, depth, inContextLen, inContextStart } = config;
  const N = (config.inputSize / p) ** 2;
  const hidden = swigluHidden(config);
  const block = (T: number) => T * D * (3 * D + D + 3 * hidden) + 2 * T * T * D + D * 6 * D;
  let macs = N * (p * p * C * bottleneck + bottleneck * D) + 256 * D + D * D;
  for (let i = 0; i < depth; i++) macs += block(i < inContextStart ? N : N + inContextLen);
  return macs + N * D * p * p * C + D * 2 * D;
}
