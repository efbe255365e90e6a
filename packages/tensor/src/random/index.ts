export { Rng, createRng, rngFromState } from './rng.js';
export { RandomStream, createRandomStream } from './stream.js';
export { philox4x32 } from './philox.js';
export type { RandomState, Seed } from './state.js';
