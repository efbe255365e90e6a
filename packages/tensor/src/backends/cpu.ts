import type { BackendInfo } from './types.js';
import { activate } from './common.js';

/** The plain-JS reference backend: correct everywhere, ~0.5–0.8 GFLOP/s on one core. */
export async function initCpu(): Promise<BackendInfo> {
  await import('@tensorflow/tfjs-backend-cpu');
  await activate('cpu');
  return { name: 'cpu', tfjsBackend: 'cpu', reason: 'requested', threads: 1 };
}
