import { describe, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, type BackendName } from '../backend.js';

/**
 * The backends numeric tests run on: `$PIXELREPA_TEST_BACKENDS` (comma-separated), else cpu and wasm.
 */
export function testBackends(): BackendName[] {
  const fromEnv = process.env.PIXELREPA_TEST_BACKENDS;
  return (fromEnv ? fromEnv.split(',').map((s) => s.trim()).filter(Boolean) : ['cpu', 'wasm']) as BackendName[];
}

/** Runs `body` once per backend, inside a `describe` named after it, with that backend active. */
export function describeEachBackend(title: string, body: (backend: BackendName) => void, backends = testBackends()): void {
  for (const backend of backends) {
    describe(`${title} [${backend}]`, () => {
      beforeAll(async () => {
        await initBackend(backend);
      });
      body(backend);
    });
  }
}

/** The live tensor count (for leak checks). */
export function liveTensors(): number {
  return tf.memory().numTensors;
}
