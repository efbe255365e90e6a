import { readFileSync, writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { writeFileAtomic } from '@pixelrepa/io/node';
import { mergeMetricShards, metricShardFromNpz, scoreFeatures, statisticsToNpz, type MetricName, type NamedShard, type ReferenceSet } from '@pixelrepa/metrics';
import { backendFlags, startBackend } from '../backend.js';
import { defineCommand } from '../context.js';
import { UsageError } from '../errors.js';
import { defineFlags } from '../flags.js';
import { featureNetwork, referenceSet } from './eval.js';

const mergeFlags = defineFlags({
  reference: { type: 'path', value: 'stats.npz', group: 'Reference', description: 'reference statistics (mu, sigma), e.g. jit_in256_stats.npz' },
  reference_folder: {
    type: 'path',
    value: 'dir',
    group: 'Reference',
    description: 'reference images instead (their features also give kid and pr; runs the Inception network)',
  },
  img_size: { type: 'integer', value: 'px', group: 'Reference', description: 'ADM center-crop the reference images to this size' },
  batch_size: { type: 'integer', value: 'n', default: 16, group: 'Reference', description: 'reference images through the network at once' },
  metrics: {
    type: 'list',
    value: 'list',
    default: ['fid', 'is'],
    choices: ['fid', 'is', 'kid', 'pr'],
    group: 'Metrics',
    description: 'which metrics (is needs shards made with is in --metrics; kid and pr with kid or pr)',
  },
  is_splits: { type: 'integer', value: 'n', default: 10, group: 'Metrics', description: 'Inception Score splits (torch-fidelity: 10)' },
  kid_subsets: { type: 'integer', value: 'n', default: 100, group: 'Metrics', description: 'KID random subsets' },
  kid_subset_size: {
    type: 'integer',
    value: 'n',
    group: 'Metrics',
    description: "images per KID subset (default 1000, or the smaller set's size when it has fewer)",
  },
  output: { type: 'path', value: 'file.json', group: 'Output', description: 'also write the JSON result here' },
  save_statistics: {
    type: 'path',
    value: 'file.npz',
    group: 'Output',
    description: 'also write the merged statistics (mu, sigma, num_samples) of the whole set',
  },
  inception_weights: {
    type: 'path',
    value: 'file',
    group: 'Reference',
    description: 'with --reference_folder: the FID Inception weights; default: the cache, downloading once',
  },
  offline: { type: 'boolean', group: 'Reference', description: 'never download' },
  cache_dir: { type: 'path', value: 'dir', group: 'Reference', description: 'download cache (default $PIXELREPA_CACHE or ~/.cache/pixelrepa)' },
  ...backendFlags,
});

export const mergeCommand = defineCommand(
  {
    name: 'merge',
    summary: 'combine the shard files of pixelrepa eval --shard into FID / IS / KID / precision-recall of the whole set',
    usage: '<shard.npz>… (--reference stats.npz | --reference_folder <dir>) [flags]',
    description: [
      'Reads the files that pixelrepa eval --shard k/N --save_statistics wrote and scores the whole set as one process would:',
      'the statistics merge exactly (float64), IS and KID see the per-image rows in image order. Refuses shards that overlap,',
      'leave images out, or were made with other settings (checkpoint, sampler, seed, image folder), naming the files.',
    ].join('\n'),
    positionals: [{ name: 'shard.npz…', description: 'every shard of one evaluation (a shell glob such as shards/shard-*.npz)' }],
    flags: mergeFlags,
    examples: [
      'pixelrepa merge shards/shard-*.npz --reference jit_in256_stats.npz',
      'pixelrepa merge shards/shard-*.npz --reference_folder imagenet/val --img_size 256 --metrics fid,is,kid,pr --output result.json',
    ],
  },
  async ({ values, positionals }, context) => {
    if (positionals.length === 0) throw new UsageError('name the shard files to merge: pixelrepa merge shards/shard-*.npz --reference stats.npz');
    const metrics = values.metrics as MetricName[];
    const path = (value: string | undefined) => value && resolve(context.cwd, value);
    if (values.reference === undefined && values.reference_folder === undefined && metrics.some((m) => m !== 'is')) {
      throw new UsageError(
        `${metrics.filter((m) => m !== 'is').join(', ')} need a reference: --reference stats.npz or --reference_folder <dir> (only is needs none)`,
      );
    }
    if (values.reference_folder === undefined && metrics.some((m) => m === 'kid' || m === 'pr')) {
      throw new UsageError("kid and pr need the reference images' features, not only statistics: pass --reference_folder <dir>");
    }
    const shards: NamedShard[] = positionals.map((file) => {
      const full = resolve(context.cwd, file);
      let bytes: Uint8Array;
      try {
        bytes = readFileSync(full);
      } catch (error) {
        throw new UsageError(`cannot read the shard ${full}: ${(error as Error).message}`);
      }
      return { name: basename(full), shard: metricShardFromNpz(bytes, full) };
    });
    let merged;
    try {
      merged = mergeMetricShards(shards);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    if (metrics.includes('is') && !merged.logits)
      throw new UsageError(
        'is needs the per-image logits, but the shards were made without is in --metrics; drop is, or rerun the shards with --metrics including is',
      );
    if ((metrics.includes('kid') || metrics.includes('pr')) && !merged.features)
      throw new UsageError('kid and pr need the per-image features, but the shards were made without kid or pr in --metrics; rerun the shards with them');
    let reference: ReferenceSet | undefined;
    if (values.reference_folder !== undefined) {
      await startBackend(values, context.stderr);
      const extractor = await featureNetwork(values, context);
      try {
        reference = await referenceSet(values, metrics, extractor, context, path);
      } finally {
        if (!context.extractor) (extractor as { dispose?: () => void }).dispose?.();
      }
    } else if (values.reference !== undefined) {
      reference = await referenceSet(values, metrics, undefined, context, path);
    }
    context.stderr.write(`merging ${shards.length} shard${shards.length === 1 ? '' : 's'}: ${merged.count} images\n`);
    const result = await scoreFeatures(merged, {
      reference,
      metrics,
      is: { splits: values.is_splits },
      kid: { subsets: values.kid_subsets, subsetSize: values.kid_subset_size },
    });
    if (values.save_statistics) writeFileAtomic(path(values.save_statistics)!, statisticsToNpz(result.statistics));
    const { statistics: _statistics, ...scores } = result;
    const json = JSON.stringify(
      { shards: shards.length, settings: JSON.parse(merged.settings) as unknown, reference: values.reference ?? values.reference_folder, ...scores },
      null,
      2,
    );
    context.stdout.write(`${json}\n`);
    if (values.output) writeFileSync(path(values.output)!, `${json}\n`);
    return 0;
  },
);
