// Multi-threaded tfjs-backend-wasm in Node. Three things stand in the way, all in tfjs 4.22:
// 1. `WASM_HAS_MULTITHREAD_SUPPORT` is hard-wired to false under Node;
// 2. the pthread worker is started from a `blob:` URL, which Node's worker_threads cannot load,
//    and the worker loads the main script from a Blob in turn;
// 3. XNNPACK's pool is capped at `emscripten_num_logical_cores() / 2` (= `os.cpus().length / 2`
//    in Node), so a 2-core machine gets one thread whatever was asked.
// We write the worker to a temporary file, make the worker load the main script from the package's
// own file, and, only while the backend starts, hand out a file path for the worker Blob and report
// 2 × threads CPUs. Every patch is undone before `withNodeThreads` returns. The file is removed as
// soon as the workers have read it (or on exit); folders left by killed processes are swept.
import * as tf from '@tensorflow/tfjs-core';
import { nodeBuiltin } from './environment.js';

const threadedScript = 'wasm-out/tfjs-backend-wasm-threaded-simd.js';
const workerModule = 'wasm-out/tfjs-backend-wasm-threaded-simd.worker.js';

const tempPrefix = 'pixelrepa-wasm-';

let workerFile: string | undefined;

/** Writes the pthread worker (once per process) and returns its path. */
function pthreadWorkerFile(): string {
  if (workerFile) return workerFile;
  const fs = nodeBuiltin('node:fs');
  const os = nodeBuiltin('node:os');
  const path = nodeBuiltin('node:path');
  const require = nodeBuiltin('node:module').createRequire(import.meta.url);
  const packageDir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
  const mainScript = path.join(packageDir, threadedScript);
  const { wasmWorkerContents } = require(path.join(packageDir, workerModule)) as { wasmWorkerContents?: unknown };
  if (typeof wasmWorkerContents !== 'string' || !fs.existsSync(mainScript)) {
    throw new Error(
      `@tensorflow/tfjs-backend-wasm in ${packageDir} does not have the layout of 4.22 (${workerModule}, ${threadedScript}): WASM threads in Node need updating for this version`,
    );
  }
  // The worker asks for a URL for the main-script Blob it was sent; inside the worker, hand it the
  // package's file instead (this runs in the worker's own global scope, not ours).
  const redirect = `URL.createObjectURL=function(){return ${JSON.stringify(mainScript)}};URL.revokeObjectURL=function(){};`;
  sweepAbandonedFolders();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${tempPrefix}${process.pid}-`));
  const file = path.join(dir, 'pthread-worker.cjs');
  // tfjs escapes newlines the same way before it builds its Blob: the template literal turned the
  // "\n" inside the worker's string literals into real newlines.
  fs.writeFileSync(file, redirect + wasmWorkerContents.replace(/\n/g, '\\n'));
  process.once('exit', removeWorkerFile);
  workerFile = file;
  return file;
}

function removeWorkerFile(): void {
  if (!workerFile) return;
  const path = nodeBuiltin('node:path');
  nodeBuiltin('node:fs').rmSync(path.dirname(workerFile), { recursive: true, force: true });
}

/** Removes worker folders of processes that no longer exist (killed before their exit handler ran). */
function sweepAbandonedFolders(): void {
  const fs = nodeBuiltin('node:fs');
  const os = nodeBuiltin('node:os');
  const path = nodeBuiltin('node:path');
  let names: string[];
  try {
    names = fs.readdirSync(os.tmpdir()).filter((name) => name.startsWith(tempPrefix));
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(name.slice(tempPrefix.length).split('-')[0]);
    if (!Number.isInteger(pid) || pid <= 0 || isAlive(pid)) continue;
    try {
      fs.rmSync(path.join(os.tmpdir(), name), { recursive: true, force: true });
    } catch {
      // Another user's folder, or already gone: not ours to worry about.
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}

/** The Emscripten module tfjs-backend-wasm keeps on its backend (only the part we touch). */
interface EmscriptenThreads {
  PThread?: { unusedWorkers?: Array<{ unref?: () => void }>; runningWorkers?: Array<{ unref?: () => void }> };
}

/**
 * Runs `start` (which must create the wasm backend) with `threads` XNNPACK threads available.
 * Afterwards the pthread workers are unref'd so they do not keep the process alive.
 */
export async function withNodeThreads(threads: number, start: () => Promise<void>): Promise<void> {
  const file = pthreadWorkerFile();
  const os = nodeBuiltin('node:os');
  const originalCpus = os.cpus;
  const originalCreateObjectURL = URL.createObjectURL;
  URL.createObjectURL = (object: Blob | MediaSource) =>
    object instanceof Blob && object.type === 'application/javascript' ? file : originalCreateObjectURL(object);
  os.cpus = () => {
    const real = originalCpus();
    return Array.from({ length: 2 * threads }, (_, i) => real[i % real.length]);
  };
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  try {
    await start();
  } finally {
    os.cpus = originalCpus;
    URL.createObjectURL = originalCreateObjectURL;
  }
  // Emscripten resolves the module only after its pool of 8 preallocated workers has loaded the
  // file, and tfjs never gives XNNPACK more than 8 threads, so no worker will read it again.
  removeWorkerFile();
  const module = (tf.engine().registry as Record<string, { wasm?: EmscriptenThreads } | undefined>).wasm?.wasm;
  for (const worker of [...(module?.PThread?.unusedWorkers ?? []), ...(module?.PThread?.runningWorkers ?? [])]) {
    worker.unref?.();
  }
}
