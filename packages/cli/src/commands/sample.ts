import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { formatShard, shardRange } from '@pixelrepa/jit';
import { backendFlags, startBackend } from '../backend.js';
import { defineCommand } from '../context.js';
import { defineFlags } from '../flags.js';
import { wholeNumbers } from '../flag-checks.js';
import { gridScale, writeGrid } from '@pixelrepa/data/node';
import { createProgress } from '../progress.js';
import { checkSampleSettings, isWrittenImage, sampleFileName, writePngAtomic } from '@pixelrepa/data/node';
import { generateImages, loadModelFromFlags, samplerSettings, samplingFlags, type ImageToGenerate } from '../sampling.js';
import { shardFlags, shardFromFlag } from '../shard-flag.js';
import { UsageError } from '../errors.js';
import { emaWarning } from '../ema-warning.js';

/** The classes DiT and JiT show for ImageNet (golden retriever, otter, panda, ...). */
const imagenetShowcase = [207, 360, 387, 974, 88, 979, 417, 279];

const sampleFlags = defineFlags({
  ...samplingFlags,
  classes: {
    type: 'numbers',
    min: 0,
    check: wholeNumbers,
    value: '1,2,3',
    group: 'Output',
    description: 'class labels, one grid row each (default: 0…9, or 8 showcase classes for 1000-class models)',
  },
  num_per_class: {
    type: 'integer',
    min: 1,
    value: 'n',
    default: 4,
    group: 'Output',
    description: 'images per class (grid columns); image i has class classes[⌊i / num_per_class⌋]',
  },
  output_dir: {
    type: 'path',
    value: 'dir',
    default: './samples',
    group: 'Output',
    description: 'writes images/<index>-class<c>.png, samples.json (the settings) and, unsharded, grid.png',
  },
  ...shardFlags,
  ...backendFlags,
});

export const sampleCommand = defineCommand(
  {
    name: 'sample',
    summary: 'generate class-conditional images (PNG files and a grid) from a checkpoint',
    usage: '--checkpoint <file|dir> [flags]',
    description: [
      'Integrates the flow ODE from noise with Heun (or Euler) steps and classifier-free guidance on an interval of t,',
      "then writes each image as a PNG named by its index and grid.png with one row per class. Image i's noise depends",
      'only on (--seed, i): N processes with --shard k/N write exactly the files one process writes. A rerun skips the',
      'images already written (each is checked to decode), so a crashed shard is simply started again.',
    ].join('\n'),
    flags: sampleFlags,
    examples: [
      'pixelrepa sample --checkpoint output_dir --classes 0,1,2,3 --num_per_class 8',
      'pixelrepa sample --checkpoint PixelREPA-B-16.pth --cfg 3.1 --interval_min 0.1 --num_sampling_steps 50 --output_dir samples/b16',
      'pixelrepa sample --checkpoint jit-b16.safetensors --model JiT-B/16 --sampling_method euler --num_sampling_steps 100',
      'pixelrepa sample --checkpoint run --classes 0,1,2,3,4,5 --num_per_class 100 --shard 2/4 --output_dir /shared/samples',
    ],
  },
  async ({ values }, context) => {
    const { stderr } = context;
    if (values.num_per_class < 1) throw new UsageError(`--num_per_class must be at least 1, got ${values.num_per_class}`);
    const shard = shardFromFlag(values.shard);
    await startBackend(values, stderr);
    const loaded = loadModelFromFlags({ ...values, checkpoint: values.checkpoint && resolve(context.cwd, values.checkpoint) });
    try {
      const settings = samplerSettings(values, loaded);
      const warning = emaWarning(loaded.hints);
      if (warning) stderr.write(`${warning}\n`);
      const { numClasses, inputSize } = loaded.config;
      const classes = values.classes ?? (numClasses === 1000 ? imagenetShowcase : Array.from({ length: Math.min(numClasses, 10) }, (_, i) => i));
      const total = classes.length * values.num_per_class;
      const labelOf = (index: number) => classes[Math.floor(index / values.num_per_class)];
      const { start, end } = shard ? shardRange(total, shard) : { start: 0, end: total };
      const outDir = resolve(context.cwd, values.output_dir);
      const imageDir = join(outDir, 'images');
      mkdirSync(imageDir, { recursive: true });
      checkSampleSettings(outDir, {
        checkpoint: loaded.description,
        classes,
        num_per_class: values.num_per_class,
        seed: values.seed,
        ...settings,
      });
      const fileOf = (index: number) => join(imageDir, sampleFileName(index, labelOf(index), total));
      const todo: ImageToGenerate[] = [];
      for (let index = start; index < end; index++) {
        if (!(await isWrittenImage(fileOf(index), inputSize))) todo.push({ index, label: labelOf(index) });
      }
      const part = shard ? `shard ${formatShard(shard)}: images ${start}…${end - 1} of ${total}` : `${total} images`;
      const skipped = end - start - todo.length;
      stderr.write(
        `sampling ${part} of ${classes.length} classes from ${loaded.description}: ${settings.method}, ${settings.steps} steps, cfg ${settings.cfg} on (${settings.interval.join(', ')})${skipped ? `; ${skipped} already written` : ''}\n`,
      );
      const batches = Math.ceil(todo.length / values.batch_size);
      const progress = createProgress(stderr, { label: 'sample', total: batches * settings.steps });
      const perImage = inputSize * inputSize * 3;
      let written = 0;
      // A batch's last step is shown once its images are written, so the bar ends at n/n images.
      const onStep = (done: number) => {
        if (done % settings.steps !== 0) progress.update(done, `${written}/${todo.length} images`);
      };
      try {
        for await (const batch of generateImages(loaded, todo, { ...settings, batchSize: values.batch_size, seed: values.seed, onStep })) {
          for (let i = 0; i < batch.indices.length; i++) {
            await writePngAtomic(fileOf(batch.indices[i]), batch.pixels.subarray(i * perImage, (i + 1) * perImage), inputSize, inputSize);
            written++;
          }
          progress.update(Math.ceil(written / values.batch_size) * settings.steps, `${written}/${todo.length} images`);
        }
      } finally {
        progress.stop();
      }
      if (shard) {
        stderr.write(`wrote ${written} images to ${imageDir} (shard ${formatShard(shard)}; no grid for a shard)\n`);
        return 0;
      }
      const all = new Uint8Array(total * perImage);
      for (let index = 0; index < total; index++) all.set(await sharp(fileOf(index)).raw().toBuffer(), index * perImage);
      const grid = join(outDir, 'grid.png');
      await writeGrid(grid, all, [total, inputSize, inputSize], { rows: classes.length, columns: values.num_per_class, scale: gridScale(inputSize) });
      stderr.write(`wrote ${written} images to ${imageDir} and ${grid}\n`);
      return 0;
    } finally {
      loaded.model.dispose();
    }
  },
);
