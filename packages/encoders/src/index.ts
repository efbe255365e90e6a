// @pixelrepa/encoders — frozen semantic encoders (the targets of REPA / PixelREPA). Browser-safe;
// downloading and the file cache are in `@pixelrepa/encoders/node`.
export type { Encoder, FeatureRecorder } from './encoder.js';
export { preprocessForEncoder, imagenetMean, imagenetStd, type PreprocessOptions } from './preprocess.js';

export { DinoV2 } from './dinov2/dinov2.js';
export {
  dinov2Presets,
  dinov2Preset,
  dinov2PresetForTimmName,
  dinov2Config,
  dinov2ConfigFromTimm,
  validateDinoV2Config,
  type DinoV2Config,
  type DinoV2Preset,
  type DinoV2Name,
  type DinoV2Overrides,
} from './dinov2/config.js';
export { createDinoV2, type CreateDinoV2Options } from './dinov2/create.js';
export { dinov2ParameterCount, dinov2ForwardMacs } from './dinov2/costs.js';
export { loadDinoV2Weights, dinov2StateDict, type LoadDinoV2WeightsOptions } from './dinov2/load-weights.js';

export { antialiasedBicubicWeights, cubicKernel } from './resample/antialiased-bicubic.js';
export { resizeGridAntialiased } from './resample/resize-grid.js';
export { resampleAbsPosEmbed, type FloatArray, type ResamplePosEmbedOptions } from './resample/pos-embed.js';
export { resamplePatchEmbed, piResizeMatrix, piResizeFactor } from './resample/patch-embed.js';

export { toTimmStateDict, detectCheckpointFormat, type CheckpointFormat } from './weights/checkpoint-format.js';
export { hfNameRules, hfToMetaName, metaToHfNames, type NameRule } from './weights/hf-names.js';
export { hfToMeta } from './weights/hf-to-meta.js';
export { metaToTimm, metaToTimmName, ignoredDinoV2Keys } from './weights/meta-to-timm.js';
export { timmToHf } from './weights/timm-to-hf.js';
export { resampleToGeometry, type TargetGeometry } from './weights/resample-checkpoint.js';
export { summarizeDinoV2Weights, describeDinoV2Weights, vitName, type DinoV2WeightsSummary } from './weights/summary.js';
export { checkWeightsFit, EncoderWeightsError } from './weights/fit.js';

export { LayerScale } from './vit/layer-scale.js';
export { ViTMlp, type MlpKind } from './vit/mlp.js';
export { ViTBlock, type ViTBlockConfig } from './vit/block.js';
export { PatchEmbed } from './vit/patch-embed.js';

export { SmallViT, smallViTProcedural, type SmallViTConfig } from './small-vit/small-vit.js';
