import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { backendFlags, startBackend } from '../backend.js';
import { defineCommand } from '../context.js';
import { defineFlags } from '../flags.js';
import { wholeNumbers } from '../flag-checks.js';
import { gridScale, writeGrid, writePng } from '../images.js';
import { createProgress } from '../progress.js';
import { generateImages, loadModelFromFlags, samplerSettings, samplingFlags } from '../sampling.js';
import { UsageError } from '../errors.js';
import { emaWarning } from '../ema-warning.js';

/** The classes DiT and JiT show for ImageNet (golden retriever, otter, panda, ...). */
const imagenetShowcase = [207, 360, 387, 974, 88, 979, 417, 279];

const sampleFlags = defineFlags({
  ...samplingFlags,
  classes: { type: 'numbers', min: 0, check: wholeNumbers, value: '1,2,3', group: 'Output', description: 'class labels, one grid row each (default: 0…9, or 8 showcase classes for 1000-class models)' },
  num_per_class: { type: 'integer', min: 1, value: 'n', default: 4, group: 'Output', description: 'images per class (grid columns)' },
  output_dir: { type: 'path', value: 'dir', default: './samples', group: 'Output', description: 'writes images/class<c>-<k>.png and grid.png' },
  ...backendFlags,
});

export const sampleCommand = defineCommand({
  name: 'sample',
  summary: 'generate class-conditional images (PNG files and a grid) from a checkpoint',
  usage: '--checkpoint <file|dir> [flags]',
  description: 'Integrates the flow ODE from noise with Heun (or Euler) steps and classifier-free guidance on an interval of t,\nthen writes each image as a PNG and grid.png with one row per class.',
  flags: sampleFlags,
  examples: [
    'pixelrepa sample --checkpoint output_dir --classes 0,1,2,3 --num_per_class 8',
    'pixelrepa sample --checkpoint PixelREPA-B-16.pth --cfg 3.1 --interval_min 0.1 --num_sampling_steps 50 --output_dir samples/b16',
    'pixelrepa sample --checkpoint jit-b16.safetensors --model JiT-B/16 --sampling_method euler --num_sampling_steps 100',
  ],
}, async ({ values }, context) => {
  const { stderr } = context;
  if (values.num_per_class < 1) throw new UsageError(`--num_per_class must be at least 1, got ${values.num_per_class}`);
  await startBackend(values, stderr);
  const loaded = loadModelFromFlags({ ...values, checkpoint: values.checkpoint && resolve(context.cwd, values.checkpoint) });
  try {
    const settings = samplerSettings(values, loaded);
    const warning = emaWarning(loaded.hints);
    if (warning) stderr.write(`${warning}\n`);
    const { numClasses, inputSize } = loaded.config;
    const classes = values.classes ?? (numClasses === 1000 ? imagenetShowcase : Array.from({ length: Math.min(numClasses, 10) }, (_, i) => i));
    const labels = classes.flatMap((label) => Array<number>(values.num_per_class).fill(label));
    const outDir = resolve(context.cwd, values.output_dir);
    mkdirSync(join(outDir, 'images'), { recursive: true });
    stderr.write(`sampling ${labels.length} images of ${classes.length} classes from ${loaded.description}: ${settings.method}, ${settings.steps} steps, cfg ${settings.cfg} on (${settings.interval.join(', ')})\n`);
    const batches = Math.ceil(labels.length / values.batch_size);
    const progress = createProgress(stderr, { label: 'sample', total: batches * settings.steps });
    const all = new Uint8Array(labels.length * inputSize * inputSize * 3);
    const perImage = inputSize * inputSize * 3;
    let written = 0;
    const perClass = new Map<number, number>();
    // A batch's last step is shown once its images are written, so the bar ends at n/n images.
    const onStep = (done: number) => {
      if (done % settings.steps !== 0) progress.update(done, `${written}/${labels.length} images`);
    };
    try {
      for await (const batch of generateImages(loaded, labels, { ...settings, batchSize: values.batch_size, seed: values.seed, onStep })) {
        for (let i = 0; i < batch.labels.length; i++) {
          const label = batch.labels[i];
          const k = perClass.get(label) ?? 0;
          perClass.set(label, k + 1);
          const pixels = batch.pixels.subarray(i * perImage, (i + 1) * perImage);
          await writePng(join(outDir, 'images', `class${String(label).padStart(4, '0')}-${String(k).padStart(3, '0')}.png`), pixels, inputSize, inputSize);
          all.set(pixels, written * perImage);
          written++;
        }
        progress.update(Math.ceil(written / values.batch_size) * settings.steps, `${written}/${labels.length} images`);
      }
    } finally {
      progress.stop();
    }
    const grid = join(outDir, 'grid.png');
    await writeGrid(grid, all, [labels.length, inputSize, inputSize], { rows: classes.length, columns: values.num_per_class, scale: gridScale(inputSize) });
    stderr.write(`wrote ${written} images to ${join(outDir, 'images')} and ${grid}\n`);
    return 0;
  } finally {
    loaded.model.dispose();
  }
});
