export { learningRate, scaledLearningRate, type LearningRateSchedule } from './schedule.js';
export {
  adamwInit,
  adamwUpdate,
  adamwMoment,
  setAdamwMoments,
  weightDecayGroups,
  disposeAdamW,
  type AdamWConfig,
  type AdamWState,
  type OptimizedParameter,
  type StatePlacement,
  type Moment,
} from './adamw.js';
export { Ema } from './ema.js';
export { loadTorchAdamW, type TorchAdamWImport } from './torch-adamw.js';
export { trainingLoss, type TrainingBatch, type TrainingDraws, type LossParts } from './loss.js';
export { trainStep, NonFiniteLossError, type StepContext, type StepResult, type StepPhase } from './step.js';
export { resumedConfig } from './resume.js';
export { resolveTrainConfig, peakLearningRate, defaultTrainConfig, referenceRun, trainConfigModel, type TrainConfig, type ObjectiveKind } from './config.js';
export { CheckpointInputError } from './errors.js';
export {
  buildTrainingModules,
  resolveStatePlacement,
  resolveRemat,
  estimateStepHeapBytes,
  blockValuesPerImage,
  type TrainingModules,
  type BuildOptions,
} from './setup.js';
export { officialCheckpoint, IMAGENET_TRAIN_IMAGES, type OfficialCheckpointOptions, type OfficialEncoder } from './official-checkpoint.js';
export { trainRecipes, type TrainRecipe, type TrainRecipeName, type RecipeData } from './recipes.js';
