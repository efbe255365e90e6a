/**
 * The backends `initBackend` can set up. `node` / `node-gpu` are TF.js's libtensorflow bindings;
 * `webgl` exists only in browsers.
 */
export type BackendName = 'cpu' | 'wasm' | 'webgpu' | 'webgl' | 'node' | 'node-gpu';

/** What `initBackend` accepts: a backend, or `auto` for the best one available here. */
export type BackendRequest = BackendName | 'auto';

/** Every backend name, in `auto`'s order of preference. */
export const backendNames: readonly BackendName[] = ['node-gpu', 'node', 'webgpu', 'webgl', 'wasm', 'cpu'];

/**
 * Imports an optional package by name (`@tensorflow/tfjs-node`, `@tensorflow/tfjs-node-gpu`,
 * `webgpu`). Injectable so tests can hand in stand-ins for packages that are not installed.
 */
export type ModuleLoader = (specifier: string) => Promise<unknown>;

/** Dawn's native backends (the `backend=` toggle of the `webgpu` npm package). */
export type DawnBackend = 'vulkan' | 'opengles' | 'opengl' | 'metal' | 'd3d12' | 'd3d11' | 'null';

export interface InitBackendOptions {
  /**
   * WASM threads (Node, and pages that are cross-origin isolated). Default: the number of
   * cores. Unlike plain tfjs-backend-wasm, no `hardwareConcurrency / 2` cap is applied.
   */
  threads?: number;
  /**
   * WASM: threads of tfjs's XNNPACK pool (its convolutions and elementwise kernels), at most
   * `threads`. Default: `threads`. Our GEMM (every matrix product) runs on `threads` threads
   * whatever this is. XNNPACK's pool threads spin for about a millisecond after each operation
   * they run, on the core the GEMM's second thread needs: for transformers (products on our GEMM,
   * few XNNPACK operations) 1 is faster (a JiT training step ~3-5 %); for convolutional networks
   * (the FID Inception) keep all threads (~30 % faster there). The CLI picks per command.
   */
  xnnpackThreads?: number;
  /**
   * Browsers: where the `.wasm` binaries are served from, passed to tfjs-backend-wasm's
   * `setWasmPaths` (a folder URL ending in `/`, or a map from binary name to URL). Needed when a
   * bundler moves the binaries away from the script.
   */
  wasmPaths?: string | Record<string, string>;
  /**
   * WebGPU in Node: the Dawn backend to use. Default: `$PIXELREPA_DAWN_BACKEND`, else Dawn's own
   * choice (Vulkan on Linux) with a fallback to `opengles` on Linux.
   */
  dawnBackend?: DawnBackend;
  /** WebGPU in Node: extra Dawn toggles (`name=value` strings). Default: `$PIXELREPA_DAWN_FLAGS` (space-separated). */
  dawnFlags?: string[];
  /**
   * `auto` only: also accept a software WebGPU adapter or WebGL renderer (llvmpipe, SwiftShader,
   * lavapipe, or one flagged `isFallbackAdapter`). Default false: WASM is far faster than a software GPU.
   */
  allowSoftwareGpu?: boolean;
  /** `auto` only: the backends to try, in order. Default: node-gpu, node, webgpu, webgl, wasm, cpu. */
  candidates?: BackendName[];
  /** How optional packages are imported. Default: dynamic `import()`. */
  loadModule?: ModuleLoader;
  /**
   * `auto` only: the machine's GPU device files, `undefined` when unknown. Default: on Linux, a
   * scan of /dev (none: WebGPU is skipped without loading Dawn, which would print warnings), unless
   * `loadModule` is given or `PIXELREPA_DEBUG` is set.
   */
  gpuDevices?: () => readonly string[] | undefined;
}

/** One backend `auto` considered. */
export interface BackendAttempt {
  name: BackendName;
  ok: boolean;
  /** Why it was taken or rejected. */
  reason: string;
}

export interface BackendInfo {
  name: BackendName;
  /** The TF.js backend name now active (`tensorflow` for node / node-gpu). */
  tfjsBackend: string;
  /** Why this backend was picked (for `auto`) or how it was set up. */
  reason: string;
  /** WASM: the threads the backend runs on (1 where the threaded build could not start). */
  threads?: number;
  /** WASM: the threads of tfjs's XNNPACK pool (≤ threads). */
  xnnpackThreads?: number;
  /** WASM: whether the SIMD binary is in use. */
  simd?: boolean;
  /** WebGPU: the adapter, in words (vendor, device, description); WebGL: the renderer. */
  adapter?: string;
  /** WebGPU / WebGL: whether the adapter renders in software. */
  softwareAdapter?: boolean;
  /** node-gpu: whether libtensorflow found a CUDA device. */
  gpu?: boolean;
  /** `auto` only: every backend considered, in order, with why it was taken or rejected. */
  tried?: BackendAttempt[];
}

/** Thrown when a backend cannot run here; `auto` moves on to the next candidate. */
export class BackendUnavailableError extends Error {
  constructor(
    readonly backend: BackendName,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'BackendUnavailableError';
  }
}
