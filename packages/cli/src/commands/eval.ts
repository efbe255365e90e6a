import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { formatShard, shardRange, type Shard } from '@pixelrepa/jit';
import { DataLoader } from '@pixelrepa/data';
import { writeFileAtomic } from '@pixelrepa/io/node';
import {
  collectFeatures,
  computeMetrics,
  computeReferenceStatistics,
  metricShardToNpz,
  statisticsFromNpz,
  statisticsToNpz,
  type ImageSource,
  type InceptionFeatureExtractor,
  type MetricName,
  type ReferenceSet,
} from '@pixelrepa/metrics';
import { loadFidInceptionV3Cached } from '@pixelrepa/metrics/node';
import { backendFlags, startBackend } from '../backend.js';
import { defineCommand, type CommandContext } from '../context.js';
import { UsageError } from '../errors.js';
import { emaWarning } from '../ema-warning.js';
import { defineFlags, type FlagValues } from '../flags.js';
import { imageFileBatches, listImageFiles } from '@pixelrepa/data/node';
import { createProgress, downloadProgress, type Progress } from '../progress.js';
import { generateImages, loadModelFromFlags, samplerSettings, samplingFlags } from '../sampling.js';
import { shardFlags, shardFromFlag } from '../shard-flag.js';
import { openTrainingData } from '../training-data.js';
import type { LoadedJiT } from '@pixelrepa/train/node';

const evalFlags = defineFlags({
  images: { type: 'path', exists: 'dir', value: 'dir', group: 'Images', description: 'a folder of generated images to evaluate (searched recursively)' },
  num_images: {
    type: 'integer',
    min: 1,
    value: 'n',
    default: 50000,
    group: 'Images',
    description: 'with --checkpoint: images to generate, class-balanced as in the reference',
  },
  reference: {
    type: 'path',
    exists: 'file',
    value: 'stats.npz',
    group: 'Reference',
    description: 'reference statistics (mu, sigma), e.g. jit_in256_stats.npz',
  },
  reference_folder: {
    type: 'path',
    exists: 'dir',
    value: 'dir',
    group: 'Reference',
    description: 'reference images instead (their features also give kid and pr)',
  },
  data: {
    type: 'string',
    value: 'name',
    choices: ['fashion-mnist'],
    group: 'Reference',
    description: 'a built-in reference set: fashion-mnist is its official test split (from /usr/share/datasets/fashion-mnist unless --data_path)',
  },
  data_path: { type: 'path', exists: 'dir', value: 'dir', group: 'Reference', description: 'with --data fashion-mnist: the folder of its official files' },
  save_reference: {
    type: 'path',
    value: 'out.npz',
    group: 'Reference',
    description: 'only write the statistics of --images (or --reference_folder) to this .npz',
  },
  metrics: { type: 'list', value: 'list', default: ['fid', 'is'], choices: ['fid', 'is', 'kid', 'pr'], group: 'Metrics', description: 'which metrics' },
  is_splits: { type: 'integer', min: 1, value: 'n', default: 10, group: 'Metrics', description: 'Inception Score splits (torch-fidelity: 10)' },
  kid_subsets: { type: 'integer', min: 1, value: 'n', default: 100, group: 'Metrics', description: 'KID random subsets' },
  kid_subset_size: {
    type: 'integer',
    min: 1,
    value: 'n',
    group: 'Metrics',
    description: "images per KID subset (default 1000, or the smaller set's size when it has fewer)",
  },
  inception_weights: {
    type: 'path',
    exists: 'file',
    value: 'file',
    group: 'Metrics',
    description: 'the FID Inception weights (pt_inception-2015-12-05); default: the cache, downloading once',
  },
  offline: { type: 'boolean', group: 'Metrics', description: 'never download' },
  cache_dir: { type: 'path', value: 'dir', group: 'Metrics', description: 'download cache (default $PIXELREPA_CACHE or ~/.cache/pixelrepa)' },
  output: { type: 'path', value: 'file.json', group: 'Metrics', description: 'also write the JSON result here' },
  save_statistics: {
    type: 'path',
    value: 'file.npz',
    group: 'Metrics',
    description: "also write the generated images' statistics (mergeable across shards); with --shard: the shard file for pixelrepa merge",
  },
  ...samplingFlags,
  ...shardFlags,
  img_size: {
    type: 'integer',
    min: 1,
    value: 'px',
    group: 'Images',
    description:
      "ADM center-crop every image read from a folder to this size (reference sets); with --checkpoint: the model's image side (default: the checkpoint's)",
  },
  ...backendFlags,
});

export const evalCommand = defineCommand(
  {
    name: 'eval',
    summary: 'FID / IS / KID / precision-recall of images or a checkpoint; reference statistics',
    usage: '(--images <dir> | --checkpoint <file|dir>) (--reference stats.npz | --reference_folder <dir> | --data fashion-mnist) [flags]',
    description: [
      'Computes the metrics as torch-fidelity does (FID Inception, 2048-d pool features in float64) and prints JSON.',
      'With --checkpoint it first samples --num_images images (the Sampling flags apply). With --save_reference it only',
      'writes the statistics of a folder of images, for later FIDs. With --shard k/N it does only part k of the images (of the',
      'folder, or of the --num_images samples, each seeded by its index) and writes its statistics, plus the per-image logits',
      '(is) or features (kid, pr), to --save_statistics; pixelrepa merge turns the N files into the scores of the whole set.',
    ].join('\n'),
    flags: evalFlags,
    examples: [
      'pixelrepa eval --images samples/images --reference jit_in256_stats.npz',
      'pixelrepa eval --checkpoint output_dir --num_images 50000 --cfg 3.1 --reference jit_in256_stats.npz --metrics fid,is',
      'pixelrepa eval --save_reference in256_stats.npz --images imagenet/train --img_size 256',
      'pixelrepa eval --images samples/images --reference_folder imagenet/val --img_size 256 --metrics fid,kid,pr',
      'pixelrepa eval --checkpoint run --num_images 50000 --metrics fid,is --shard auto --save_statistics shards/shard-$JOB_COMPLETION_INDEX.npz',
      'pixelrepa eval --checkpoint runs/fashion --num_images 10000 --data fashion-mnist --metrics fid,kid',
    ],
  },
  async ({ values }, context) => {
    const path = (value: string | undefined) => value && resolve(context.cwd, value);
    const metrics = values.metrics as MetricName[];
    if (values.save_reference !== undefined)
      return saveReference(path(values.save_reference)!, path(values.images ?? values.reference_folder), values, context);
    if ((values.images === undefined) === (values.checkpoint === undefined))
      throw new UsageError('evaluate either a folder (--images <dir>) or a checkpoint (--checkpoint <file|dir>), exactly one');
    const shard = shardFromFlag(values.shard);
    if (shard) return evaluateShard(shard, values, metrics, context, path);
    if (values.reference === undefined && values.reference_folder === undefined && values.data === undefined && metrics.some((m) => m !== 'is')) {
      throw new UsageError(
        `${metrics.filter((m) => m !== 'is').join(', ')} need a reference: --reference stats.npz or --reference_folder <dir> (or --data fashion-mnist; only is needs none)`,
      );
    }
    if (values.reference_folder === undefined && values.data === undefined && metrics.some((m) => m === 'kid' || m === 'pr')) {
      throw new UsageError("kid and pr need the reference images' features, not only statistics: pass --reference_folder <dir>");
    }
    await startBackend(values, context.stderr, 'convolutions');
    const extractor = await featureNetwork(values, context);
    let loaded: LoadedJiT | undefined;
    let progress: Progress | undefined;
    try {
      const reference = await referenceSet(values, metrics, extractor, context, path);
      let images: ImageSource;
      let total: number;
      let what: string;
      if (values.images !== undefined) {
        const files = listImageFiles(path(values.images)!);
        images = imageFileBatches(files, { batchSize: values.batch_size, size: values.img_size });
        total = files.length;
        what = path(values.images)!;
      } else {
        loaded = loadModelFromFlags({ ...values, checkpoint: path(values.checkpoint) });
        const settings = samplerSettings(values, loaded);
        const warning = emaWarning(loaded.hints);
        if (warning) context.stderr.write(`${warning}\n`);
        const classes = loaded.config.numClasses;
        // The reference's class-balanced labels: 0,0,…,1,1,… (num_images / classes each).
        const perClass = Math.ceil(values.num_images / classes);
        const labels = Array.from({ length: values.num_images }, (_, i) => Math.floor(i / perClass));
        total = labels.length;
        what = `${values.num_images} samples of ${loaded.description} (${settings.method}, ${settings.steps} steps, cfg ${settings.cfg})`;
        images = (async function* () {
          for await (const batch of generateImages(
            loaded!,
            labels.map((label, index) => ({ index, label })),
            { ...settings, batchSize: values.batch_size, seed: values.seed },
          ))
            yield { images: batch.pixels, shape: batch.shape };
        })();
      }
      context.stderr.write(`evaluating ${what}\n`);
      progress = createProgress(context.stderr, { label: 'eval', total });
      const result = await computeMetrics({
        images,
        reference,
        metrics,
        extractor,
        total,
        maxBatch: values.batch_size,
        is: { splits: values.is_splits },
        kid: { subsets: values.kid_subsets, subsetSize: values.kid_subset_size },
        onProgress: ({ stage, images: done }) => progress?.update(done, stage === 'features' ? 'features' : `computing ${stage}`),
      });
      progress.stop();
      if (values.save_statistics) writeFileAtomic(path(values.save_statistics)!, statisticsToNpz(result.statistics));
      const { statistics: _statistics, ...scores } = result;
      const json = JSON.stringify(
        { images: what, reference: values.reference ?? values.reference_folder ?? (values.data && `${values.data} test split`), ...scores },
        null,
        2,
      );
      context.stdout.write(`${json}\n`);
      if (values.output) writeFileSync(path(values.output)!, `${json}\n`);
      return 0;
    } finally {
      progress?.stop();
      loaded?.model.dispose();
      if (!context.extractor) (extractor as { dispose?: () => void }).dispose?.();
    }
  },
);

/**
 * `--shard k/N`: the part's statistics and per-image rows, written as a shard file for `merge`.
 * The settings recorded in it (checkpoint, sampler, seed, or the folder's file names) must be the
 * same in every shard; merge refuses shards that differ.
 */
async function evaluateShard(
  shard: Shard,
  values: FlagValues<typeof evalFlags>,
  metrics: MetricName[],
  context: CommandContext,
  path: (value: string | undefined) => string | undefined,
): Promise<number> {
  if (values.save_statistics === undefined)
    throw new UsageError(
      `--shard ${formatShard(shard)} computes a part of the statistics: say where to write them with --save_statistics shard-${shard.index}.npz, then combine the parts with pixelrepa merge`,
    );
  await startBackend(values, context.stderr, 'convolutions');
  let loaded: LoadedJiT | undefined;
  let progress: Progress | undefined;
  const extractor = await featureNetwork(values, context);
  try {
    let images: ImageSource;
    let range: { start: number; end: number };
    let total: number;
    let settings: Record<string, unknown>;
    if (values.images !== undefined) {
      const folder = path(values.images)!;
      const files = listImageFiles(folder);
      total = files.length;
      range = shardRange(total, shard);
      // Machines may mount the folder in different places: the file names relative to it identify the set.
      const names = createHash('sha256')
        .update(files.map((file) => relative(folder, file)).join('\n'))
        .digest('hex');
      settings = { images: 'folder', files: total, file_names_sha256: names, img_size: values.img_size ?? null };
      images = imageFileBatches(files.slice(range.start, range.end), { batchSize: values.batch_size, size: values.img_size });
    } else {
      loaded = loadModelFromFlags({ ...values, checkpoint: path(values.checkpoint) });
      const sampler = samplerSettings(values, loaded);
      total = values.num_images;
      range = shardRange(total, shard);
      const perClass = Math.ceil(total / loaded.config.numClasses);
      const items = Array.from({ length: range.end - range.start }, (_, i) => ({ index: range.start + i, label: Math.floor((range.start + i) / perClass) }));
      settings = { checkpoint: loaded.description, num_images: total, seed: values.seed, ...sampler };
      images = (async function* () {
        for await (const batch of generateImages(loaded!, items, { ...sampler, batchSize: values.batch_size, seed: values.seed }))
          yield { images: batch.pixels, shape: batch.shape };
      })();
    }
    const count = range.end - range.start;
    if (count < 2)
      throw new UsageError(`shard ${formatShard(shard)} of ${total} images holds ${count}; statistics need at least 2 images per shard: use fewer shards`);
    context.stderr.write(`evaluating shard ${formatShard(shard)}: images ${range.start}…${range.end - 1} of ${total}\n`);
    progress = createProgress(context.stderr, { label: 'eval', total: count });
    const collected = await collectFeatures({
      images,
      extractor,
      maxBatch: values.batch_size,
      keepLogits: metrics.includes('is'),
      keepFeatures: metrics.includes('kid') || metrics.includes('pr'),
      onImages: (done) => progress?.update(done, 'features'),
    });
    progress.stop();
    const out = path(values.save_statistics)!;
    writeFileAtomic(out, metricShardToNpz({ ...collected, ...range, total, settings: JSON.stringify(settings) }));
    context.stdout.write(`${JSON.stringify({ shard: formatShard(shard), images: [range.start, range.end], total, saved: out }, null, 2)}\n`);
    return 0;
  } finally {
    progress?.stop();
    loaded?.model.dispose();
    if (!context.extractor) (extractor as { dispose?: () => void }).dispose?.();
  }
}

/** The FID Inception network (or the context's stand-in). */
export async function featureNetwork(
  values: { inception_weights?: string; offline: boolean; cache_dir?: string },
  context: CommandContext,
): Promise<InceptionFeatureExtractor> {
  if (context.extractor) return context.extractor;
  return loadFidInceptionV3Cached({
    path: values.inception_weights && resolve(context.cwd, values.inception_weights),
    offline: values.offline,
    cacheDir: values.cache_dir,
    onProgress: downloadProgress(context.stderr),
  });
}

export async function referenceSet(
  values: { reference?: string; reference_folder?: string; data?: string; data_path?: string; batch_size: number; img_size?: number },
  metrics: MetricName[],
  extractor: InceptionFeatureExtractor | undefined,
  context: CommandContext,
  path: (value: string | undefined) => string | undefined,
): Promise<ReferenceSet | undefined> {
  if (values.data !== undefined) {
    if (!extractor) throw new Error('a reference data set needs the feature network');
    const { source, description } = await openTrainingData({
      data: values.data,
      dataPath: path(values.data_path),
      split: 'test',
      imageSize: values.img_size ?? 32,
      numClasses: 10,
      warn: (line) => context.stderr.write(`${line}\n`),
    });
    context.stderr.write(`reference: ${description}\n`);
    const progress = createProgress(context.stderr, { label: 'reference', total: source.length });
    try {
      return await computeReferenceStatistics({
        images: new DataLoader(source, { batchSize: values.batch_size }).epoch(0),
        extractor,
        maxBatch: values.batch_size,
        keepFeatures: metrics.includes('kid') || metrics.includes('pr'),
        onProgress: ({ images }) => progress.update(images),
      });
    } finally {
      progress.stop();
    }
  }
  if (values.reference_folder !== undefined) {
    if (!extractor) throw new Error('reference images need the feature network');
    const files = listImageFiles(path(values.reference_folder)!);
    const progress = createProgress(context.stderr, { label: 'reference', total: files.length });
    try {
      return await computeReferenceStatistics({
        images: imageFileBatches(files, { batchSize: values.batch_size, size: values.img_size }),
        extractor,
        maxBatch: values.batch_size,
        keepFeatures: metrics.includes('kid') || metrics.includes('pr'),
        onProgress: ({ images }) => progress.update(images),
      });
    } finally {
      progress.stop();
    }
  }
  if (values.reference === undefined) return undefined;
  const file = path(values.reference)!;
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new UsageError(`cannot read --reference ${file}: ${(error as Error).message}`);
  }
  return { statistics: statisticsFromNpz(bytes, { expectedDim: 2048, what: file }) };
}

async function saveReference(
  out: string,
  folder: string | undefined,
  values: { batch_size: number; img_size?: number; inception_weights?: string; offline: boolean; cache_dir?: string; backend: string; threads?: number },
  context: CommandContext,
): Promise<number> {
  if (folder === undefined) throw new UsageError('--save_reference needs the images: --images <dir> (or --reference_folder <dir>)');
  await startBackend(values, context.stderr, 'convolutions');
  const extractor = await featureNetwork(values, context);
  const files = listImageFiles(folder);
  const progress = createProgress(context.stderr, { label: 'reference', total: files.length });
  try {
    const { statistics } = await computeReferenceStatistics({
      images: imageFileBatches(files, { batchSize: values.batch_size, size: values.img_size }),
      extractor,
      maxBatch: values.batch_size,
      onProgress: ({ images }) => progress.update(images),
    });
    progress.stop();
    writeFileAtomic(out, statisticsToNpz(statistics));
    context.stdout.write(`${JSON.stringify({ saved: out, images: folder, count: statistics.count ?? files.length, dim: statistics.dim }, null, 2)}\n`);
    return 0;
  } finally {
    progress.stop();
    if (!context.extractor) (extractor as { dispose?: () => void }).dispose?.();
  }
}
