// WebGPU in Node through Dawn (the optional `webgpu` npm package). tfjs-backend-webgpu looks for
// `navigator.gpu` and the `GPUBufferUsage`-style globals, which Node lacks: we provide them from
// Dawn, but only once an adapter has been found, so a failed probe leaves no trace.
import type { InitBackendOptions, DawnBackend } from './types.js';
import { BackendUnavailableError } from './types.js';
import { messageOf } from './common.js';
import { importModule, isModuleNotFound } from './loader.js';
import { describeAdapter, isSoftwareAdapter, type AdapterLike } from './webgpu-adapter.js';
import { startTfjsWebGpu, type WebGpuProbe } from './webgpu-start.js';

type FeatureLevel = 'core' | 'compatibility';

interface DawnGpu {
  requestAdapter(options?: { featureLevel?: FeatureLevel; powerPreference?: string }): Promise<(AdapterLike & object) | null>;
  wgslLanguageFeatures?: unknown;
}

interface DawnModule {
  create(flags: string[]): DawnGpu;
  globals: Record<string, unknown>;
}

/** Mesa's EGL/GLES, which Dawn's OpenGL ES backend needs on a Linux machine without a GPU driver (Debian/Ubuntu). */
export const mesaPackages = 'libegl1 libgles2 libegl-mesa0 libgl1-mesa-dri';

/** Dawn's OpenGL backends only expose adapters at the compatibility feature level. */
function featureLevelFor(backend: DawnBackend | undefined): FeatureLevel {
  return backend === 'opengles' || backend === 'opengl' ? 'compatibility' : 'core';
}

/** The Dawn backends to try, in order: the one asked for, else Dawn's default and, on Linux, OpenGL ES. */
function dawnAttempts(options: InitBackendOptions): Array<DawnBackend | undefined> {
  const asked = options.dawnBackend ?? (process.env.PIXELREPA_DAWN_BACKEND as DawnBackend | undefined);
  if (asked) return [asked];
  return process.platform === 'linux' ? [undefined, 'opengles'] : [undefined];
}

async function loadDawn(options: InitBackendOptions): Promise<DawnModule> {
  const load = options.loadModule ?? importModule;
  let loaded: unknown;
  try {
    loaded = await load('webgpu');
  } catch (error) {
    if (isModuleNotFound(error, 'webgpu')) {
      throw new BackendUnavailableError(
        'webgpu',
        `WebGPU in Node needs the optional package "webgpu" (Dawn): npm install webgpu${process.platform === 'linux' ? ` (without a GPU driver it runs on Mesa: apt-get install ${mesaPackages})` : ''}`,
        { cause: error },
      );
    }
    throw new BackendUnavailableError('webgpu', `the "webgpu" package is installed but failed to load: ${messageOf(error)}`, { cause: error });
  }
  const dawn = loaded as Partial<DawnModule>;
  if (typeof dawn.create !== 'function' || typeof dawn.globals !== 'object') {
    throw new BackendUnavailableError('webgpu', 'the "webgpu" package does not export create() and globals: is it the Dawn bindings (npm "webgpu" ≥ 0.2)?');
  }
  return dawn as DawnModule;
}

/** Finds a Dawn adapter; nothing global changes until `start()`. */
export async function probeDawn(options: InitBackendOptions = {}): Promise<WebGpuProbe> {
  const dawn = await loadDawn(options);
  const extraFlags = options.dawnFlags ?? process.env.PIXELREPA_DAWN_FLAGS?.split(/\s+/).filter(Boolean) ?? [];
  const failures: string[] = [];
  for (const backend of dawnAttempts(options)) {
    const featureLevel = featureLevelFor(backend);
    // Mesa's EGL must not look for a display server: there is none on a headless machine.
    if (backend === 'opengles' || backend === 'opengl') process.env.EGL_PLATFORM ??= 'surfaceless';
    const label = `${backend ?? 'default'} (${featureLevel})`;
    let gpu: DawnGpu;
    let adapter: (AdapterLike & object) | null;
    try {
      gpu = dawn.create([...(backend ? [`backend=${backend}`] : []), ...extraFlags]);
      adapter = await gpu.requestAdapter({ featureLevel, powerPreference: 'high-performance' });
    } catch (error) {
      failures.push(`${label}: ${messageOf(error)}`);
      continue;
    }
    if (!adapter) {
      failures.push(`${label}: no adapter`);
      continue;
    }
    const description = `${describeAdapter(adapter)} via Dawn ${backend ?? 'default backend'}`;
    const software = isSoftwareAdapter(adapter);
    const found = adapter;
    return {
      adapter: description,
      software,
      start: () => {
        exposeToTfjs(dawn, gpu, found, featureLevel);
        return startTfjsWebGpu(description, software, 'requested');
      },
    };
  }
  throw new BackendUnavailableError(
    'webgpu',
    `Dawn found no WebGPU adapter (tried ${failures.join('; ')}). ` +
      `Without a GPU driver, Dawn's OpenGL ES backend runs on Mesa llvmpipe: apt-get install ${mesaPackages}; with a GPU, install its Vulkan driver.`,
  );
}

/** Sets `navigator.gpu` and the GPU* globals that tfjs-backend-webgpu reads. */
function exposeToTfjs(dawn: DawnModule, gpu: DawnGpu, adapter: object, featureLevel: FeatureLevel): void {
  const global = globalThis as Record<string, unknown>;
  for (const [name, value] of Object.entries(dawn.globals)) {
    if (!(name in global)) global[name] = value;
  }
  let probed: object | null = adapter;
  const facade = {
    // tfjs asks for an adapter without a feature level; Dawn's OpenGL ES backend needs 'compatibility'.
    requestAdapter(options: object = {}) {
      if (probed) {
        const first = probed;
        probed = null;
        return Promise.resolve(first);
      }
      return gpu.requestAdapter({ ...options, featureLevel });
    },
    getPreferredCanvasFormat: () => 'rgba8unorm',
    wgslLanguageFeatures: gpu.wgslLanguageFeatures ?? new Set<string>(),
  };
  const navigator = global.navigator as Record<string, unknown> | undefined;
  if (navigator) Object.defineProperty(navigator, 'gpu', { value: facade, configurable: true, writable: true });
  else global.navigator = { gpu: facade, userAgent: `Node.js/${process.version}` };
}
