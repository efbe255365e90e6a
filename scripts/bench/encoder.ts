// Frozen-encoder throughput: images/s of `encoder.encode(images)` (preprocess + forward, result read
// back) for DINOv2 ViT-B/14 built as PixelREPA's target (256 px, patch 16 → 16×16 tokens), random
// weights, per backend. Every backend configuration runs in its own child process.
//
//   npm run bench -- encoder [--backend cpu,wasm] [--threads 1,2] [--batch 2] [--runs 3]
//                            [--model dinov2-vitb14] [--img-size 256] [--patch-size 16]
// On `cpu` (about 0.5 GFLOP/s, ~47 GFLOP per image) it times one image once, without a warm-up.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { initBackend, tf, type BackendInfo, type BackendName } from '@pixelrepa/tensor';
import { createDinoV2, dinov2Config, type DinoV2Config } from '@pixelrepa/encoders';
import { machineInfo } from './machine.ts';

interface Settings {
  id: string;
  backend: BackendName;
  threads?: number;
  model: string;
  imgSize: number;
  patchSize: number;
  batch: number;
  runs: number;
  warmUp: boolean;
}

interface Measurement {
  config: string;
  backend: BackendName;
  available: boolean;
  threads?: number;
  batch?: number;
  runs?: number;
  imagesPerSecond?: number;
  medianMsPerBatch?: number;
  gflopsPerSecond?: number;
  buildSeconds?: number;
  reason?: string;
}

const childFlag = '--child';

/** Multiply-adds ×2 of one forward: patch embedding, the blocks' matmuls and attention products. */
export function encoderFlopsPerImage(config: DinoV2Config): number {
  const { embedDim: D, depth, mlpHidden, mlp, imgSize, patchSize, regTokens } = config;
  const patches = (imgSize / patchSize) ** 2;
  const N = patches + 1 + regTokens;
  const fc2In = mlp === 'gelu' ? mlpHidden : mlpHidden / 2;
  const perTokenBlock = 3 * D * D + D * D + D * mlpHidden + fc2In * D;
  return 2 * (patches * patchSize * patchSize * 3 * D + depth * (N * perTokenBlock + 2 * N * N * D));
}

/** Runs the benchmark; `args` are the command-line words after its name. */
export async function run(args: string[] = []): Promise<object> {
  const { values } = parseArgs({
    args,
    options: {
      backend: { type: 'string', default: 'cpu,wasm' },
      threads: { type: 'string', default: '1,2' },
      batch: { type: 'string', default: '2' },
      runs: { type: 'string', default: '3' },
      model: { type: 'string', default: 'dinov2-vitb14' },
      'img-size': { type: 'string', default: '256' },
      'patch-size': { type: 'string', default: '16' },
    },
  });
  const base = { model: values.model, imgSize: Number(values['img-size']), patchSize: Number(values['patch-size']) };
  const config = dinov2Config(base.model, base);
  const settings: Settings[] = [];
  for (const backend of values.backend.split(',').map((s) => s.trim()).filter(Boolean) as BackendName[]) {
    if (backend === 'cpu') settings.push({ ...base, id: 'cpu', backend, batch: 1, runs: 1, warmUp: false });
    else if (backend === 'wasm') {
      for (const threads of values.threads.split(',').map(Number)) {
        settings.push({ ...base, id: `wasm-${threads}t`, backend, threads, batch: Number(values.batch), runs: Number(values.runs), warmUp: true });
      }
    } else settings.push({ ...base, id: backend, backend, batch: Number(values.batch), runs: Number(values.runs), warmUp: true });
  }
  const results: Measurement[] = [];
  for (const setting of settings) {
    process.stderr.write(`encoder: ${setting.id} …\n`);
    results.push(await inChild(setting));
  }
  return {
    model: `${config.label} at ${config.imgSize} px, patch ${config.patchSize} (${(config.imgSize / config.patchSize) ** 2} tokens), random weights`,
    gflopPerImage: Number((encoderFlopsPerImage(config) / 1e9).toFixed(2)),
    timing: 'encode(images in [−1, 1]) incl. preprocessing, result read back with await data(); median of runs after a warm-up (cpu: one run, no warm-up)',
    results,
  };
}

function inChild(settings: Settings): Promise<Measurement> {
  const self = fileURLToPath(import.meta.url);
  const child = spawn(process.execPath, [...process.execArgv, self, childFlag, JSON.stringify(settings)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => { stdout += chunk; });
  child.stderr.on('data', (chunk) => { stderr += chunk; });
  return new Promise((resolve) => {
    child.on('close', (code) => {
      try {
        resolve(JSON.parse(stdout.trim().split('\n').pop() ?? '') as Measurement);
      } catch {
        resolve({ config: settings.id, backend: settings.backend, available: false, reason: `child exited with ${code}: ${(stderr || stdout).trim().split('\n').slice(-3).join(' | ')}` });
      }
    });
  });
}

async function measure(settings: Settings): Promise<Measurement> {
  let info: BackendInfo;
  try {
    info = await initBackend(settings.backend, settings.threads ? { threads: settings.threads } : {});
  } catch (error) {
    return { config: settings.id, backend: settings.backend, available: false, reason: (error as Error).message };
  }
  const buildStart = performance.now();
  const encoder = createDinoV2(settings.model, { imgSize: settings.imgSize, patchSize: settings.patchSize });
  const buildSeconds = (performance.now() - buildStart) / 1000;
  const images = tf.randomUniform([settings.batch, settings.imgSize, settings.imgSize, 3], -1, 1, 'float32', 1);
  const once = async () => {
    const start = performance.now();
    const tokens = encoder.encode(images);
    await tokens.data();
    tokens.dispose();
    return performance.now() - start;
  };
  if (settings.warmUp) await once();
  const times: number[] = [];
  for (let i = 0; i < settings.runs; i++) times.push(await once());
  const median = times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
  const imagesPerSecond = settings.batch / (median / 1000);
  images.dispose();
  encoder.dispose();
  return {
    config: settings.id, backend: settings.backend, available: true, threads: info.threads, batch: settings.batch, runs: settings.runs,
    imagesPerSecond: Number(imagesPerSecond.toFixed(3)),
    medianMsPerBatch: Number(median.toFixed(1)),
    gflopsPerSecond: Number(((encoderFlopsPerImage(encoder.config) * imagesPerSecond) / 1e9).toFixed(2)),
    buildSeconds: Number(buildSeconds.toFixed(2)),
  };
}

if (process.argv[2] === childFlag) {
  console.log(JSON.stringify(await measure(JSON.parse(process.argv[3]) as Settings)));
  process.exit(0);
} else if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(JSON.stringify({ benchmark: 'encoder', machine: machineInfo(), ...(await run(process.argv.slice(2))) }, null, 2));
}
