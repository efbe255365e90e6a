// @tensorflow/tfjs-node and -node-gpu: optional peers (their install downloads libtensorflow, so
// they are never required). Both register a TF.js backend named "tensorflow" when imported.
import * as tf from '@tensorflow/tfjs-core';
import type { BackendInfo, InitBackendOptions } from './types.js';
import { BackendUnavailableError } from './types.js';
import { activate, messageOf } from './common.js';
import { isNode } from './environment.js';
import { importModule, isModuleNotFound } from './loader.js';

const packages = { node: '@tensorflow/tfjs-node', 'node-gpu': '@tensorflow/tfjs-node-gpu' } as const;
const cudaNeeds = 'tfjs-node-gpu 4.x needs an NVIDIA driver with CUDA 11.2 and cuDNN 8.1 libraries on the library path (Linux x86-64 only)';

/** The TF.js backend libtensorflow registers. */
export const tensorflowBackend = 'tensorflow';

/** libtensorflow through TF.js's Node bindings (`node`: CPU build, `node-gpu`: CUDA build). */
export async function initNode(name: 'node' | 'node-gpu', options: InitBackendOptions = {}): Promise<BackendInfo> {
  const specifier = packages[name];
  const other = packages[name === 'node' ? 'node-gpu' : 'node'];
  if (!isNode() && !options.loadModule) {
    throw new BackendUnavailableError(name, `${specifier} runs only in Node; in a browser use webgpu or wasm`);
  }
  const load = options.loadModule ?? importModule;
  try {
    await load(specifier);
  } catch (error) {
    if (isModuleNotFound(error, specifier)) {
      throw new BackendUnavailableError(
        name,
        `the ${name} backend needs the optional package ${specifier}, which is not installed: npm install ${specifier}` +
          (name === 'node-gpu' ? ` (${cudaNeeds})` : ' (its install script downloads libtensorflow)'),
        { cause: error },
      );
    }
    throw new BackendUnavailableError(
      name,
      `${specifier} is installed but failed to load: ${messageOf(error)}` + (name === 'node-gpu' ? ` (${cudaNeeds})` : ''),
      { cause: error },
    );
  }
  if (tf.findBackendFactory(tensorflowBackend) == null) {
    throw new BackendUnavailableError(
      name,
      `${specifier} loaded but registered no "${tensorflowBackend}" backend with this copy of @tensorflow/tfjs-core ` +
        `(${tf.version_core}): it probably brought its own copy; run \`npm ls @tensorflow/tfjs-core\` and align the versions`,
    );
  }
  await activate(tensorflowBackend);
  const backend = tf.backend() as { isGPUPackage?: boolean; isUsingGpuDevice?: boolean };
  if (name === 'node-gpu' && backend.isGPUPackage === false) {
    throw new BackendUnavailableError(name, `the active "${tensorflowBackend}" backend is the CPU build (${other} was loaded first in this process)`);
  }
  const gpu = name === 'node-gpu' ? backend.isUsingGpuDevice !== false : false;
  const reason = name === 'node-gpu' && !gpu ? 'requested; no CUDA device is visible, so libtensorflow runs on the CPU' : 'requested';
  return { name, tfjsBackend: tensorflowBackend, reason, ...(name === 'node-gpu' ? { gpu } : {}) };
}
