export { JiT, type JiTOptions, type ForwardOptions } from './jit.js';
export { jitPresets, jitConfig, jitConfigFromReference, jitParameterCount, validateJiTConfig, swigluHidden, type JiTConfig, type JiTPresetName } from './config.js';
export { JiTBlock, FinalLayer, BottleneckPatchEmbed, type Recorder } from './layers.js';
export { patchify, unpatchify } from './patch.js';
