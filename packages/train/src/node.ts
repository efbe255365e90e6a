// @pixelrepa/train/node — the parts that touch the file system: the trainer loop and checkpoints.
export { Trainer, type TrainerOptions, type TrainerEvent, type TargetEncoder } from './node/trainer.js';
export {
  saveCheckpoint,
  readCheckpoint,
  readCheckpointInfo,
  restoreModules,
  listCheckpoints,
  pruneCheckpoints,
  resolveResumePath,
  checkWritable,
  type CheckpointInfo,
} from './node/checkpoint.js';
export { truncateRunLog } from './node/run-log.js';
export {
  loadJiTForSampling,
  findCheckpointFile,
  trainingCheckpointWeights,
  fromReferenceArgs,
  exportedModelKey,
  type LoadedJiT,
  type LoadJiTOptions,
  type SamplingHints,
} from './node/load-jit.js';
export { initializeFrom, type InitializedFrom, type InitializeOptions } from './node/init-from.js';
