/** The whole state of a random stream: JSON-serialisable, so a resumed run continues exactly. */
export interface RandomState {
  algorithm: 'philox4x32-10';
  /** The 64-bit key as two uint32 words (low, high). */
  key: [number, number];
  /** How many 128-bit blocks the stream has used, as a 64-bit count in two uint32 words (low, high). */
  counter: [number, number];
}

/** Seeds accepted by `createRng`: any safe integer or bigint (taken modulo 2^64). */
export type Seed = number | bigint;

/** The Philox key of a seed: its low and high 32 bits. */
export function keyFromSeed(seed: Seed): [number, number] {
  if (typeof seed === 'number' && !Number.isSafeInteger(seed)) {
    throw new Error(`a seed must be a safe integer or a bigint, got ${seed}`);
  }
  const bits = BigInt.asUintN(64, BigInt(seed));
  return [Number(bits & 0xffffffffn), Number(bits >> 32n)];
}

/** Checks a state read back from a checkpoint. */
export function checkState(state: RandomState): RandomState {
  const words = [...(state?.key ?? []), ...(state?.counter ?? [])];
  const valid =
    state?.algorithm === 'philox4x32-10' &&
    state.key?.length === 2 &&
    state.counter?.length === 2 &&
    words.every((word) => Number.isInteger(word) && word >= 0 && word <= 0xffffffff);
  if (!valid) {
    throw new Error(
      `not a random state: expected { algorithm: 'philox4x32-10', key: [uint32, uint32], counter: [uint32, uint32] }, got ${JSON.stringify(state)}`,
    );
  }
  return { algorithm: state.algorithm, key: [state.key[0], state.key[1]], counter: [state.counter[0], state.counter[1]] };
}
