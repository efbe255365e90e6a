// `--shard k/N | auto`, shared by sample and eval: the flag and its reading (the arithmetic is @pixelrepa/jit's).
import { parseShard, type Shard } from '@pixelrepa/jit';
import { UsageError } from './errors.js';
import { defineFlags } from './flags.js';

export const shardFlags = defineFlags({
  shard: {
    type: 'string',
    value: 'k/N|auto',
    group: 'Sharding',
    description:
      'do only part k of N (0-based) of the images, for N processes or machines; auto: the Kubernetes Indexed Job (JOB_COMPLETION_INDEX with JOB_COMPLETIONS) or Slurm array task (SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_COUNT)',
  },
});

/** The shard `--shard` names (undefined: the whole set). */
export function shardFromFlag(text: string | undefined, env: NodeJS.ProcessEnv = process.env): Shard | undefined {
  if (text === undefined) return undefined;
  try {
    return parseShard(text, env);
  } catch (error) {
    throw new UsageError(`--shard ${text}: ${(error as Error).message}`);
  }
}
