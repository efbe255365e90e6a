import { describe, beforeAll } from 'vitest';
import { describeWithFixtures } from '@pixelrepa/io/testing';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, type BackendName } from '../backend.js';

/**
 * The backends numeric tests run on: `$PIXELREPA_TEST_BACKENDS` (comma-separated), else cpu and wasm.
 */
export function testBackends(): BackendName[] {
  const fromEnv = process.env.PIXELREPA_TEST_BACKENDS;
  return (
    fromEnv
      ? fromEnv
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : ['cpu', 'wasm']
  ) as BackendName[];
}

/** WASM threads for tests: `$PIXELREPA_TEST_WASM_THREADS`, else initBackend's default (all cores). */
export function testWasmThreads(): number | undefined {
  const fromEnv = Number(process.env.PIXELREPA_TEST_WASM_THREADS);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : undefined;
}

/** Runs `body` once per backend, inside a `describe` named after it, with that backend active. */
export function describeEachBackend(title: string, body: (backend: BackendName) => void, backends = testBackends()): void {
  for (const backend of backends) {
    describe(title ? `${title} [${backend}]` : backend, () => {
      beforeAll(async () => {
        const threads = backend === 'wasm' ? testWasmThreads() : undefined;
        await initBackend(backend, threads ? { threads } : {});
      });
      body(backend);
    });
  }
}

/** The live tensor count (for leak checks). */
export function liveTensors(): number {
  return tf.memory().numTensors;
}

/**
 * `describeEachBackend` for tests that read reference fixtures: when one of `cases` is missing, `body`
 * never runs and one placeholder stands in (skipped and counted, or failing on CI: see describeWithFixtures).
 */
export function describeEachBackendWithFixtures(title: string, cases: string[], body: (backend: BackendName) => void, backends = testBackends()): void {
  describeWithFixtures(title, cases, () => describeEachBackend('', body, backends));
}
