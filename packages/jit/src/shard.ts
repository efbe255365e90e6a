// Splitting a numbered set of images (samples to generate, images to evaluate) into N disjoint,
// contiguous parts, one per machine or process, and naming the part from a scheduler's environment.

/** Part `index` (0-based) of `count` parts. */
export interface Shard {
  index: number;
  count: number;
}

/** The images [start, end) of a shard. */
export interface ShardRange {
  start: number;
  end: number;
}

/** The environment variables `--shard auto` reads (a plain object; pass `process.env` in Node). */
export type ShardEnvironment = Readonly<Record<string, string | undefined>>;

/**
 * The contiguous part of `total` images that shard `index` of `count` owns: shard k gets
 * [⌊k·T/N⌋, ⌊(k+1)·T/N⌋), so the parts are disjoint, cover 0…T−1 in order, and differ in size by
 * at most one image.
 *
 * @example shardRange(10, { index: 1, count: 3 }) // { start: 3, end: 6 }
 */
export function shardRange(total: number, { index, count }: Shard): ShardRange {
  if (!Number.isSafeInteger(total) || total < 0) throw new Error(`the number of images must be a whole number ≥ 0, got ${total}`);
  checkShard({ index, count });
  return { start: Math.floor((index * total) / count), end: Math.floor(((index + 1) * total) / count) };
}

/**
 * Reads `k/N` (0-based k, e.g. `0/4` … `3/4`), or `auto` for the scheduler's task index and count:
 * a Kubernetes Indexed Job (`JOB_COMPLETION_INDEX`, and the completion count in `JOB_COMPLETIONS`,
 * which the Job's manifest sets because Kubernetes does not) or a Slurm job array
 * (`SLURM_ARRAY_TASK_ID` − `SLURM_ARRAY_TASK_MIN`, over `SLURM_ARRAY_TASK_STEP`, of
 * `SLURM_ARRAY_TASK_COUNT` tasks).
 */
export function parseShard(text: string, env: ShardEnvironment = {}): Shard {
  if (text.trim() === 'auto') return shardFromEnvironment(env);
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!match) throw new Error(`a shard is written k/N with 0 ≤ k < N (e.g. 0/4 for the first of 4 parts), or auto; got "${text}"`);
  const shard = { index: Number(match[1]), count: Number(match[2]) };
  checkShard(shard);
  return shard;
}

/** The shard a Kubernetes Indexed Job or a Slurm array task is (see `parseShard`). */
export function shardFromEnvironment(env: ShardEnvironment): Shard {
  const integer = (name: string): number | undefined => {
    const value = env[name];
    if (value === undefined || value === '') return undefined;
    if (!/^\d+$/.test(value.trim())) throw new Error(`${name} should be a whole number, found "${value}"`);
    return Number(value);
  };
  const completionIndex = integer('JOB_COMPLETION_INDEX');
  if (completionIndex !== undefined) {
    const count = integer('JOB_COMPLETIONS');
    if (count === undefined) {
      throw new Error(
        `JOB_COMPLETION_INDEX is ${completionIndex} but JOB_COMPLETIONS is not set: Kubernetes does not export the completion count, so set JOB_COMPLETIONS to the Job's spec.completions in the pod template's env (see examples/cluster/indexed-job.yaml)`,
      );
    }
    return checked({ index: completionIndex, count }, `JOB_COMPLETION_INDEX=${completionIndex}, JOB_COMPLETIONS=${count}`);
  }
  const taskId = integer('SLURM_ARRAY_TASK_ID');
  if (taskId !== undefined) {
    const count = integer('SLURM_ARRAY_TASK_COUNT');
    if (count === undefined)
      throw new Error(`SLURM_ARRAY_TASK_ID is ${taskId} but SLURM_ARRAY_TASK_COUNT is not set; run under sbatch --array (Slurm ≥ 17.11 sets both)`);
    const min = integer('SLURM_ARRAY_TASK_MIN') ?? 0;
    const step = integer('SLURM_ARRAY_TASK_STEP') ?? 1;
    if (step < 1 || (taskId - min) % step !== 0)
      throw new Error(
        `SLURM_ARRAY_TASK_ID ${taskId} is not SLURM_ARRAY_TASK_MIN ${min} plus a multiple of SLURM_ARRAY_TASK_STEP ${step}; use a plain range such as --array=0-7`,
      );
    return checked({ index: (taskId - min) / step, count }, `SLURM_ARRAY_TASK_ID=${taskId}, SLURM_ARRAY_TASK_MIN=${min}, SLURM_ARRAY_TASK_COUNT=${count}`);
  }
  throw new Error(
    '--shard auto found no scheduler task in the environment: it reads JOB_COMPLETION_INDEX with JOB_COMPLETIONS (a Kubernetes Indexed Job) or SLURM_ARRAY_TASK_ID with SLURM_ARRAY_TASK_COUNT (a Slurm array); elsewhere write the shard as k/N, e.g. --shard 0/4',
  );
}

/** `k/N` as the user writes it. */
export function formatShard({ index, count }: Shard): string {
  return `${index}/${count}`;
}

function checked(shard: Shard, from: string): Shard {
  try {
    checkShard(shard);
  } catch (error) {
    throw new Error(`${(error as Error).message} (from ${from})`);
  }
  return shard;
}

function checkShard({ index, count }: Shard): void {
  if (!Number.isSafeInteger(count) || count < 1) throw new Error(`the number of shards must be at least 1, got ${count}`);
  if (!Number.isSafeInteger(index) || index < 0 || index >= count)
    throw new Error(`shard index ${index} is outside 0…${count - 1} for ${count} shards (shards count from 0)`);
}
