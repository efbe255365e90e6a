export { JiT, type JiTOptions, type ForwardOptions, type JiTConditioning } from './jit.js';
export {
  jitPresets,
  jitConfig,
  jitConfigFromReference,
  jitParameterCount,
  jitForwardMacs,
  validateJiTConfig,
  swigluHidden,
  type JiTConfig,
  type JiTPresetName,
} from './config.js';
export { JiTBlock, FinalLayer, BottleneckPatchEmbed, type Recorder } from './layers.js';
export { patchify, unpatchify } from './patch.js';
export {
  flowStep,
  drawFlow,
  dropLabels,
  logitNormalTime,
  velocityDenominator,
  velocityFromPrediction,
  velocityLoss,
  type FlowMatchingConfig,
  type FlowDraws,
  type FlowStep,
} from './flow.js';
export { sample, timeGrid, guidanceScale, toUint8Images, type SampleOptions, type SamplingMethod } from './sample.js';
export { jitStateDict, loadJiTWeights, describeJiTState, type CheckpointWeights } from './checkpoint.js';
export { shardRange, parseShard, shardFromEnvironment, formatShard, type Shard, type ShardRange, type ShardEnvironment } from './shard.js';
export { imageNoise } from './image-noise.js';
