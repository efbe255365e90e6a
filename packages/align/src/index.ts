export { type AlignmentObjective, type AlignmentInputs, type AlignmentResult, checkAlignmentShapes } from './objective.js';
export { RepaObjective, repaProjector, type RepaConfig } from './repa.js';
export { PixelRepaObjective, type PixelRepaConfig } from './pixelrepa.js';
export { normalize, cosineSimilarity } from './cosine.js';
export { createObjective, type ObjectiveName, type ObjectiveConfigs } from './create.js';
