// The messages between the page and its sampling worker.
import type { BackendInfo } from '@pixelrepa/tensor';
import type { JiTConfig } from '@pixelrepa/jit';
import type { GridImages, GridSettings } from './grid.js';

/** The backend choices the page offers: `auto` tries WebGPU, then WebGL, then WASM. */
export type BackendChoice = 'auto' | 'webgpu' | 'webgl' | 'wasm';
export const backendChoices: readonly BackendChoice[] = ['auto', 'webgpu', 'webgl', 'wasm'];

export type ToWorker =
  | {
      type: 'start';
      backend: BackendChoice;
      /** `auto` only: accept a software GPU (SwiftShader, llvmpipe) instead of falling through to WASM. */
      allowSoftwareGpu: boolean;
      /** Absolute URL of the folder holding tfjs-backend-wasm's .wasm binaries. */
      wasmPaths: string;
      /** Absolute URLs; the config (a model description) is fetched only for plain JiT weights. */
      checkpointUrl: string;
      configUrl?: string;
    }
  | { type: 'sample'; settings: GridSettings };

export type FromWorker =
  | { type: 'backend'; info: BackendInfo }
  | { type: 'download'; loaded: number; total?: number }
  | { type: 'loaded'; config: JiTConfig; description: string; parameters: number }
  | { type: 'step'; step: number; steps: number; ms: number }
  | { type: 'done'; images: GridImages; stepMs: number[]; totalMs: number }
  | { type: 'error'; message: string };
