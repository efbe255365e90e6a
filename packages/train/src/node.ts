// @pixelrepa/train/node — the parts that touch the file system: the trainer loop and checkpoints.
export { Trainer, type TrainerOptions, type TrainerEvent, type TargetEncoder } from './node/trainer.js';
export {
  saveCheckpoint, readCheckpoint, restoreModules, listCheckpoints, pruneCheckpoints, resolveResumePath, checkWritable,
  type CheckpointInfo,
} from './node/checkpoint.js';
export { truncateRunLog } from './node/run-log.js';
