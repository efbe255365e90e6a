// FID network and FID arithmetic throughput:
//   • images/s of the FID Inception network (torch-fidelity's inception-v3-compat, random weights):
//     uint8 images → TF1 resize to 299 → features '2048' and 'logits_unbiased', read back;
//     one child process per backend configuration;
//   • seconds of one 2048-d Fréchet distance (float64, symmetric route; --eigvals adds
//     torch-fidelity's general eigen-solver route, minutes) and of streaming statistics.
//
//   npm run bench -- inception [--backend cpu,wasm] [--threads 1,2] [--batch 4] [--runs 3]
//                              [--size 256] [--skip-fid] [--eigvals]
// On `cpu` (~0.5 GFLOP/s, ~11.5 GFLOP per image) it times one image once, without a warm-up.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { initBackend, tf, type BackendInfo, type BackendName } from '@pixelrepa/tensor';
import { FidInceptionV3, StatisticsAccumulator, frechetDistance, type FeatureStatistics } from '@pixelrepa/metrics';

interface Settings {
  id: string;
  backend: BackendName;
  threads?: number;
  batch: number;
  runs: number;
  size: number;
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
  buildSeconds?: number;
  reason?: string;
}

const childFlag = '--child';

/** Runs the benchmark; `args` are the command-line words after its name. */
export async function run(args: string[] = []): Promise<object> {
  const { values } = parseArgs({
    args,
    options: {
      backend: { type: 'string', default: 'cpu,wasm' },
      threads: { type: 'string', default: '1,2' },
      batch: { type: 'string', default: '4' },
      runs: { type: 'string', default: '3' },
      size: { type: 'string', default: '256' },
      'skip-fid': { type: 'boolean', default: false },
      eigvals: { type: 'boolean', default: false },
    },
  });
  const size = Number(values.size);
  const settings: Settings[] = [];
  for (const backend of values.backend.split(',').map((s) => s.trim()).filter(Boolean) as BackendName[]) {
    if (backend === 'cpu') settings.push({ id: 'cpu', backend, batch: 1, runs: 1, size, warmUp: false });
    else if (backend === 'wasm') {
      for (const threads of values.threads.split(',').map(Number)) {
        settings.push({ id: `wasm-${threads}t`, backend, threads, batch: Number(values.batch), runs: Number(values.runs), size, warmUp: true });
      }
    } else settings.push({ id: backend, backend, batch: Number(values.batch), runs: Number(values.runs), size, warmUp: true });
  }
  const network: Measurement[] = [];
  for (const setting of settings) {
    process.stderr.write(`inception: ${setting.id} …\n`);
    network.push(await inChild(setting));
  }
  return {
    network: `FID Inception (inception-v3-compat), random weights, ${size}×${size} uint8 input resized to 299`,
    timing: "forward to '2048' + 'logits_unbiased', read back with await data(); median of runs after a warm-up (cpu: one run, no warm-up)",
    results: network,
    ...(values['skip-fid'] ? {} : { statistics: fidArithmetic(values.eigvals) }),
  };
}

/** Times streaming statistics and one Fréchet distance on 2048-d random features (plain JS, float64). */
function fidArithmetic(withEigvals: boolean): object {
  const dim = 2048;
  const rows = 2500;
  const batch = 16;
  const make = (seed: number): { stats: FeatureStatistics; msPerRow: number } => {
    let state = seed;
    const features = Float32Array.from({ length: rows * dim }, () => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return (state / 2 ** 32) ** 2;
    });
    const accumulator = new StatisticsAccumulator(dim);
    const start = performance.now();
    for (let r = 0; r < rows; r += batch) accumulator.add(features.subarray(r * dim, Math.min(rows, r + batch) * dim));
    return { stats: accumulator.statistics(), msPerRow: (performance.now() - start) / rows };
  };
  process.stderr.write('inception: statistics and FID (float64) …\n');
  const a = make(1);
  const b = make(2);
  let start = performance.now();
  const fid = frechetDistance(a.stats, b.stats);
  const fidSeconds = (performance.now() - start) / 1000;
  const out: Record<string, unknown> = {
    features: `${rows} random ${dim}-d rows per set, batches of ${batch}`,
    accumulateMsPerImage: Number(a.msPerRow.toFixed(3)),
    fid2048Seconds: Number(fidSeconds.toFixed(2)),
    fid: Number(fid.toFixed(6)),
  };
  if (withEigvals) {
    process.stderr.write('inception: FID by general eigenvalues (minutes) …\n');
    start = performance.now();
    const general = frechetDistance(a.stats, b.stats, { method: 'eigvals' });
    out.fid2048EigvalsSeconds = Number(((performance.now() - start) / 1000).toFixed(1));
    out.eigvalsMinusSymmetric = general - fid;
  }
  return out;
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
  const net = new FidInceptionV3();
  const buildSeconds = (performance.now() - buildStart) / 1000;
  const images = tf.tidy(() => tf.cast(tf.floor(tf.randomUniform([settings.batch, settings.size, settings.size, 3], 0, 256, 'float32', 1)), 'int32'));
  const once = async () => {
    const start = performance.now();
    const out = net.forward(images, { features: ['2048', 'logits_unbiased'] });
    for (const tensor of Object.values(out)) await tensor!.data();
    tf.dispose(Object.values(out));
    return performance.now() - start;
  };
  if (settings.warmUp) await once();
  const times: number[] = [];
  for (let i = 0; i < settings.runs; i++) times.push(await once());
  const median = times.sort((x, y) => x - y)[Math.floor(times.length / 2)];
  images.dispose();
  net.dispose();
  return {
    config: settings.id, backend: settings.backend, available: true, threads: info.threads, batch: settings.batch, runs: settings.runs,
    imagesPerSecond: Number((settings.batch / (median / 1000)).toFixed(3)),
    medianMsPerBatch: Number(median.toFixed(1)),
    buildSeconds: Number(buildSeconds.toFixed(2)),
  };
}

if (process.argv[2] === childFlag) {
  console.log(JSON.stringify(await measure(JSON.parse(process.argv[3]) as Settings)));
  process.exit(0);
} else if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(JSON.stringify(await run(process.argv.slice(2)), null, 2));
}
