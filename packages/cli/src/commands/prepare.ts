import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { prepare } from '@pixelrepa/data/node';
import { defineCommand } from '../context.js';
import { UsageError } from '../errors.js';
import { defineFlags } from '../flags.js';
import { createProgress, type Progress } from '../progress.js';

const prepareFlags = defineFlags({
  out: { type: 'path', value: 'dir', description: 'the cache folder to write (required)' },
  img_size: { type: 'integer', min: 1, value: 'px', default: 256, description: 'ADM center crop to img_size × img_size' },
  workers: { type: 'integer', min: 0, value: 'n', description: 'decoding threads (default: cores − 1, 1…4)' },
  shard_mb: { type: 'number', above: 0, value: 'MiB', default: 256, description: 'target size of each shard file' },
});

export const prepareCommand = defineCommand(
  {
    name: 'prepare',
    summary: 'decode and center-crop an image folder once into a packed cache for training',
    usage: '<image folder> --out <dir> [flags]',
    description: [
      'Writes uint8 shards plus index.json (classes, counts, SHA-256 of every file), so training epochs read bytes instead of',
      'decoding JPEGs. Bad files are skipped with one warning each. Train on it with pixelrepa train --data_path <dir>.',
    ].join('\n'),
    positionals: [{ name: 'image folder', description: "root/<class>/<image>, as torchvision's ImageFolder (e.g. imagenet/train)" }],
    flags: prepareFlags,
    examples: ['pixelrepa prepare imagenet/train --out cache/in256 --img_size 256 --workers 4'],
  },
  async ({ values, positionals }, context) => {
    if (positionals.length !== 1) throw new UsageError(`prepare takes one image folder, got ${positionals.length ? positionals.join(' ') : 'none'}`);
    if (values.out === undefined) throw new UsageError('--out <dir> is required: where to write the packed cache');
    const source = resolve(context.cwd, positionals[0]);
    if (!existsSync(source) || !statSync(source).isDirectory())
      throw new UsageError(`${positionals[0]} is not a folder (${source}); prepare takes an image folder root/<class>/<image>`);
    const out = resolve(context.cwd, values.out);
    let progress: Progress | undefined;
    try {
      const index = await prepare(source, {
        size: values.img_size,
        out,
        workers: values.workers,
        shardBytes: Math.round(values.shard_mb * 2 ** 20),
        warn: (line) => (progress ? progress.note(line) : context.stderr.write(`${line}\n`)),
        onProgress: (written, total) => {
          progress ??= createProgress(context.stderr, { label: 'prepare', total });
          progress.update(written, `${written} images`);
        },
      });
      progress?.stop();
      context.stderr.write(
        `wrote ${index.shards.length} shard${index.shards.length === 1 ? '' : 's'} (${index.total} images, ${index.classes.length} classes, ${index.imageSize} px) to ${out}\n`,
      );
      return 0;
    } finally {
      progress?.stop();
    }
  },
);
