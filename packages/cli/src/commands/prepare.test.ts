import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { proceduralDataset } from '@pixelrepa/data';
import { initBackend } from '@pixelrepa/tensor';
import { runCli } from '../cli.js';
import { writePng } from '@pixelrepa/data/node';
import { bufferContext, tinyModelFlags } from '../test-support/harness.js';

describe('pixelrepa prepare', () => {
  let dir: string;
  beforeAll(async () => {
    await initBackend('cpu');
    dir = mkdtempSync(join(tmpdir(), 'pixelrepa-cli-prepare-'));
    const data = proceduralDataset({ imageSize: 24, numClasses: 2, length: 8 });
    for (let i = 0; i < data.length; i++) {
      const { image, label } = data.render(i);
      mkdirSync(join(dir, 'images', `class${label}`), { recursive: true });
      await writePng(join(dir, 'images', `class${label}`, `${i}.png`), image.data, image.width, image.height);
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('packs an image folder (center-cropped) and trains from the cache and from the folder', async () => {
    const cache = join(dir, 'cache');
    const { context, stderr } = bufferContext(dir);
    expect(await runCli(['prepare', join(dir, 'images'), '--out', cache, '--img_size', '16', '--workers', '0'], context), stderr()).toBe(0);
    expect(stderr()).toContain('8 images, 2 classes, 16 px');
    expect(JSON.parse(readFileSync(join(cache, 'index.json'), 'utf8'))).toMatchObject({ imageSize: 16, total: 8, classes: ['class0', 'class1'] });
    for (const [name, dataPath] of [
      ['from-cache', cache],
      ['from-folder', join(dir, 'images')],
    ]) {
      const run = bufferContext(dir);
      const code = await runCli(
        [
          'train',
          '--backend',
          'cpu',
          ...tinyModelFlags,
          '--objective',
          'none',
          '--data_path',
          dataPath,
          '--num_workers',
          '0',
          '--batch_size',
          '4',
          '--steps',
          '1',
          '--output_dir',
          join(dir, name),
        ],
        run.context,
      );
      expect(code, run.stderr()).toBe(0);
      expect(existsSync(join(dir, name, 'checkpoints', 'checkpoint-1.safetensors'))).toBe(true);
    }
  });

  it("refuses a cache whose image size is not the model's, and asks for --out", async () => {
    const wrong = bufferContext(dir);
    expect(
      await runCli(
        [
          'train',
          '--backend',
          'cpu',
          ...tinyModelFlags,
          '--img_size',
          '32',
          '--objective',
          'none',
          '--data_path',
          join(dir, 'cache'),
          '--steps',
          '1',
          '--output_dir',
          join(dir, 'wrong'),
        ],
        wrong.context,
      ),
    ).toBe(2);
    expect(wrong.stderr()).toContain('holds 16 px images but the model takes 32 px');
    const noOut = bufferContext(dir);
    expect(await runCli(['prepare', join(dir, 'images')], noOut.context)).toBe(2);
    expect(noOut.stderr()).toContain('--out <dir> is required');
  });
});
