import { afterAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { initBackend } from '../backend.js';
import { backendNames } from './types.js';
import { backendCapabilities, backendTable } from './table.js';

describe('the backend table', () => {
  afterAll(async () => {
    await initBackend('cpu');
    if (tf.findBackendFactory('stand-in')) tf.removeBackend('stand-in');
  });

  it("has one entry per backend name, in auto's order", () => {
    expect(Object.keys(backendTable)).toEqual([...backendNames]);
  });

  it('answers for the active backend', async () => {
    await initBackend('cpu');
    expect(backendCapabilities()).toEqual({ cheapHostReads: true });
    await initBackend('wasm', { threads: 1 });
    expect(backendCapabilities()).toEqual({ cheapHostReads: true, heapLimitBytes: 4 * 2 ** 30 });
  });

  it('gives a backend it does not know the cautious answers', async () => {
    tf.registerBackend('stand-in', () => new MathBackendCPU());
    await tf.setBackend('stand-in');
    expect(backendCapabilities()).toEqual({ cheapHostReads: false });
  });

  it('says where auto must not try a backend', () => {
    expect(backendTable.webgl.skip?.({})).toBe('runs only in browsers');
    expect(backendTable.node.skip?.({})).toBeUndefined();
    expect(backendTable.wasm.skip).toBeUndefined();
    expect(
      Object.entries(backendTable)
        .filter(([, entry]) => entry.probe)
        .map(([name]) => name),
    ).toEqual(['webgpu', 'webgl']);
  });
});
