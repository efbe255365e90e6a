import type { MlpKind } from '../vit/mlp.js';

/** Everything that defines a DINOv2 ViT as timm builds it (`vit_*_patch14[_reg4]_dinov2`). */
export interface DinoV2Config {
  /** For messages: `DINOv2 ViT-B/14`. */
  label: string;
  embedDim: number;
  depth: number;
  numHeads: number;
  mlp: MlpKind;
  /** fc1's output width: `int(embedDim · mlpRatio)` (8192 = 2 × 4096 for ViT-g's packed SwiGLU). */
  mlpHidden: number;
  /** Register tokens after the cls token (4 for the `reg4` models; they carry no position). */
  regTokens: number;
  /** Input side in pixels; the pretrained position grid is resampled to imgSize / patchSize. */
  imgSize: number;
  /** Patch side; a pretrained 14×14 kernel is PI-resized to it at load. */
  patchSize: number;
  layerNormEps: number;
  inChannels: number;
}

/** A published DINOv2 model: its architecture and where its weights live. */
export interface DinoV2Preset {
  label: string;
  embedDim: number;
  depth: number;
  numHeads: number;
  mlp: MlpKind;
  mlpRatio: number;
  regTokens: number;
  /** The timm model name (`timm.create_model`). */
  timmName: string;
  /** Hugging Face hub repositories: timm's converted weights, and transformers' `facebook/…` ones. */
  hub: { timm: string; hf: string };
  /** The pretrained geometry: 518 px, patch 14 (a 37 × 37 grid). */
  pretrainedImgSize: number;
  pretrainedPatchSize: number;
}

const sizes = {
  S: { letter: 'S', embedDim: 384, depth: 12, numHeads: 6, mlp: 'gelu', mlpRatio: 4, timm: 'small', hf: 'small' },
  B: { letter: 'B', embedDim: 768, depth: 12, numHeads: 12, mlp: 'gelu', mlpRatio: 4, timm: 'base', hf: 'base' },
  L: { letter: 'L', embedDim: 1024, depth: 24, numHeads: 16, mlp: 'gelu', mlpRatio: 4, timm: 'large', hf: 'large' },
  // timm: mlp_ratio = 2.66667 · 2 with SwiGLUPacked, so fc1 is 8192 wide and fc2 reads 4096.
  g: { letter: 'g', embedDim: 1536, depth: 40, numHeads: 24, mlp: 'swiglu-packed', mlpRatio: 2.66667 * 2, timm: 'giant', hf: 'giant' },
} as const;

function preset(size: keyof typeof sizes, registers: boolean): DinoV2Preset {
  const s = sizes[size];
  const timmName = `vit_${s.timm}_patch14_${registers ? 'reg4_' : ''}dinov2.lvd142m`;
  return {
    label: `DINOv2 ViT-${s.letter}/14${registers ? ' (4 registers)' : ''}`,
    embedDim: s.embedDim,
    depth: s.depth,
    numHeads: s.numHeads,
    mlp: s.mlp,
    mlpRatio: s.mlpRatio,
    regTokens: registers ? 4 : 0,
    timmName,
    hub: { timm: `timm/${timmName}`, hf: `facebook/dinov2-${registers ? 'with-registers-' : ''}${s.hf}` },
    pretrainedImgSize: 518,
    pretrainedPatchSize: 14,
  };
}

/** The DINOv2 models, by our name. PixelREPA uses `dinov2-vitb14` built at 256 px with patch 16. */
export const dinov2Presets = {
  'dinov2-vits14': preset('S', false),
  'dinov2-vitb14': preset('B', false),
  'dinov2-vitl14': preset('L', false),
  'dinov2-vitg14': preset('g', false),
  'dinov2-vits14-reg4': preset('S', true),
  'dinov2-vitb14-reg4': preset('B', true),
  'dinov2-vitl14-reg4': preset('L', true),
  'dinov2-vitg14-reg4': preset('g', true),
} as const satisfies Record<string, DinoV2Preset>;

export type DinoV2Name = keyof typeof dinov2Presets;

/** The preset called `name`, or an error listing the known names. */
export function dinov2Preset(name: string): DinoV2Preset {
  const found = (dinov2Presets as Record<string, DinoV2Preset>)[name];
  if (!found) throw new Error(`unknown DINOv2 model "${name}"; known: ${Object.keys(dinov2Presets).join(', ')}`);
  return found;
}

/** The preset whose timm model name (with or without the `.lvd142m` tag) is `timmName`. */
export function dinov2PresetForTimmName(timmName: string): DinoV2Preset {
  const base = timmName.split('.')[0];
  const found = Object.values(dinov2Presets).find((p) => p.timmName.split('.')[0] === base);
  if (!found)
    throw new Error(
      `"${timmName}" is not a timm DINOv2 model; known: ${Object.values(dinov2Presets)
        .map((p) => p.timmName)
        .join(', ')}`,
    );
  return found;
}

export type DinoV2Overrides = Partial<Omit<DinoV2Config, 'label' | 'mlpHidden'>> & { mlpRatio?: number };

/**
 * The config of preset `name` (or of a preset object) built at `imgSize` / `patchSize` (default:
 * the pretrained 518 / 14). Width, depth and heads may be overridden as with
 * `timm.create_model(..., embed_dim=…)`; the MLP width follows `mlpRatio` as in timm.
 *
 * @example
 * const config = dinov2Config('dinov2-vitb14', { imgSize: 256, patchSize: 16 }); // PixelREPA's target
 */
export function dinov2Config(name: string | DinoV2Preset, overrides: DinoV2Overrides = {}): DinoV2Config {
  const p = typeof name === 'string' ? dinov2Preset(name) : name;
  const embedDim = overrides.embedDim ?? p.embedDim;
  const depth = overrides.depth ?? p.depth;
  const numHeads = overrides.numHeads ?? p.numHeads;
  const custom = embedDim !== p.embedDim || depth !== p.depth || numHeads !== p.numHeads;
  const config: DinoV2Config = {
    label: custom ? `${p.label} (custom: embed ${embedDim}, depth ${depth}, ${numHeads} heads)` : p.label,
    embedDim,
    depth,
    numHeads,
    mlp: overrides.mlp ?? p.mlp,
    mlpHidden: Math.floor(embedDim * (overrides.mlpRatio ?? p.mlpRatio)),
    regTokens: overrides.regTokens ?? p.regTokens,
    imgSize: overrides.imgSize ?? p.pretrainedImgSize,
    patchSize: overrides.patchSize ?? p.pretrainedPatchSize,
    layerNormEps: overrides.layerNormEps ?? 1e-6,
    inChannels: overrides.inChannels ?? 3,
  };
  validateDinoV2Config(config);
  return config;
}

/** Throws when the sizes cannot make a model. */
export function validateDinoV2Config(config: DinoV2Config): void {
  const { imgSize, patchSize, embedDim, numHeads, label } = config;
  if (!Number.isInteger(patchSize) || patchSize < 1) throw new Error(`${label}: patchSize must be a positive integer, got ${patchSize}`);
  if (!Number.isInteger(imgSize) || imgSize % patchSize !== 0) {
    throw new Error(
      `${label}: imgSize ${imgSize} is not a multiple of patchSize ${patchSize}; pick e.g. ${Math.max(1, Math.round(imgSize / patchSize)) * patchSize}`,
    );
  }
  if (embedDim % numHeads !== 0) throw new Error(`${label}: embedDim ${embedDim} is not divisible by numHeads ${numHeads}`);
}

/**
 * The config timm builds for `timm.create_model(modelName, **kwargs)` with a DINOv2 model name
 * (kwargs as in Python: `img_size`, `patch_size`, `embed_dim`, `depth`, `num_heads`, `mlp_ratio`,
 * `reg_tokens`); other kwargs are ignored.
 *
 * @example
 * dinov2ConfigFromTimm('vit_base_patch14_dinov2.lvd142m', { img_size: 256, patch_size: 16 });
 */
export function dinov2ConfigFromTimm(modelName: string, kwargs: Record<string, unknown> = {}): DinoV2Config {
  const number = (key: string) => (typeof kwargs[key] === 'number' ? (kwargs[key] as number) : undefined);
  const overrides: DinoV2Overrides = {};
  const pairs: Array<[keyof DinoV2Overrides, string]> = [
    ['imgSize', 'img_size'],
    ['patchSize', 'patch_size'],
    ['embedDim', 'embed_dim'],
    ['depth', 'depth'],
    ['numHeads', 'num_heads'],
    ['mlpRatio', 'mlp_ratio'],
    ['regTokens', 'reg_tokens'],
  ];
  for (const [ours, theirs] of pairs) {
    const value = number(theirs);
    if (value !== undefined) (overrides as Record<string, number>)[ours] = value;
  }
  return dinov2Config(dinov2PresetForTimmName(modelName), overrides);
}
