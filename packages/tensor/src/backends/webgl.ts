// WebGL 2 through tfjs-backend-webgl: browsers (pages and web workers) only. It is the GPU path
// where WebGPU is missing (older browsers, blocklisted drivers).
import type { BackendInfo } from './types.js';
import { BackendUnavailableError } from './types.js';
import { activate, isInitialised } from './common.js';
import { isNode } from './environment.js';

/** What `probeWebGl` found: a WebGL 2 context, ready to be turned into the TF.js backend by `start`. */
export interface WebGlProbe {
  /** The renderer in words (the unmasked one where the browser tells it), as `BackendInfo.adapter`. */
  adapter: string;
  software: boolean;
  start(): Promise<BackendInfo>;
}

type Gl = WebGL2RenderingContext;

/** A throw-away WebGL 2 context: an OffscreenCanvas (also in workers), else a document canvas. */
function probeContext(): Gl | null {
  if (typeof OffscreenCanvas !== 'undefined') return new OffscreenCanvas(1, 1).getContext('webgl2');
  if (typeof document !== 'undefined') return document.createElement('canvas').getContext('webgl2');
  return null;
}

function rendererOf(gl: Gl): string {
  const debug = gl.getExtension('WEBGL_debug_renderer_info');
  return String(gl.getParameter(debug ? debug.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
}

/** Whether a WebGL renderer string names a CPU rasteriser (SwiftShader, llvmpipe, …). */
export function isSoftwareRenderer(renderer: string): boolean {
  return /swiftshader|llvmpipe|lavapipe|softpipe|software|microsoft basic render/i.test(renderer);
}

/** Finds WebGL 2 without starting the backend; throws `BackendUnavailableError` where there is none. */
export async function probeWebGl(): Promise<WebGlProbe> {
  if (isNode()) throw new BackendUnavailableError('webgl', 'webgl runs only in browsers (Node has no WebGL); in Node use webgpu or wasm');
  const gl = probeContext();
  if (!gl) throw new BackendUnavailableError('webgl', 'this browser gives no WebGL 2 context (disabled, or the GPU is blocklisted)');
  const renderer = rendererOf(gl);
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  const software = isSoftwareRenderer(renderer);
  return { adapter: renderer, software, start: () => startTfjsWebGl(renderer, software, 'requested') };
}

async function startTfjsWebGl(renderer: string, software: boolean, reason: string): Promise<BackendInfo> {
  await import('@tensorflow/tfjs-backend-webgl');
  await activate('webgl');
  return {
    name: 'webgl',
    tfjsBackend: 'webgl',
    reason: `${reason} (renderer: ${renderer}${software ? ', software' : ''})`,
    adapter: renderer,
    softwareAdapter: software,
  };
}

/** WebGL 2 in a browser. */
export async function initWebGl(): Promise<BackendInfo> {
  if (isInitialised('webgl')) {
    await activate('webgl');
    return { name: 'webgl', tfjsBackend: 'webgl', reason: 'requested (already running)' };
  }
  const probe = await probeWebGl();
  return probe.start();
}
