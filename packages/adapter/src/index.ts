export { MaskedTransformerAdapter, ProjectionHead } from './mta.js';
export { mtaPresets, mtaConfig, mtaConfigFromReference, type MTAConfig, type MTAPresetName } from './config.js';
export { maskTokens } from './mask.js';
export { mtaForwardMacs, mtaParameterCount } from './costs.js';
