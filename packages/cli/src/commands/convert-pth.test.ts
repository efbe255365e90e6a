// pixelrepa convert --to pth: a run of ours as the official training checkpoint, read back.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DinoV2 } from '@pixelrepa/encoders';
import { readTorchCheckpoint, type RawTensor } from '@pixelrepa/io';
import { readTorchCheckpointFile, writeSafetensorsFile } from '@pixelrepa/io/node';
import { createRng, initBackend, tf } from '@pixelrepa/tensor';
import { fixturePath, itWithFixtures } from '@pixelrepa/tensor/testing';
import { adamwMoment, buildTrainingModules, loadTorchAdamW } from '@pixelrepa/train';
import { readCheckpoint } from '@pixelrepa/train/node';
import { runCli } from '../cli.js';
import { loadTargetEncoder } from '../load-encoder.js';
import { bufferContext, tinyEncoderConfig, tinyModelFlags, writeTinyEncoder } from '../test-support/harness.js';

describe('pixelrepa convert --to pth', () => {
  let dir: string;
  beforeAll(async () => {
    await initBackend('cpu');
    dir = mkdtempSync(join(tmpdir(), 'pixelrepa-cli-pth-'));
    await writeTinyEncoder(join(dir, 'encoder.safetensors'));
    const { context, stderr } = bufferContext(dir);
    const code = await runCli(
      [
        'train',
        '--backend',
        'cpu',
        ...tinyModelFlags,
        '--encoder',
        join(dir, 'encoder.safetensors'),
        '--data',
        'procedural',
        '--data_length',
        '8',
        '--batch_size',
        '4',
        '--steps',
        '2',
        '--warmup_epochs',
        '0',
        '--output_dir',
        join(dir, 'run'),
      ],
      context,
    );
    if (code !== 0) throw new Error(stderr());
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  itWithFixtures(
    "writes model, both EMAs, torch AdamW state, epoch and args that read back exactly, in the fixture's optimizer layout",
    ['torch-checkpoint'],
    async () => {
      const out = join(dir, 'official', 'checkpoint-last.pth');
      const { context, stderr } = bufferContext(dir);
      expect(await runCli(['convert', join(dir, 'run'), out, '--to', 'pth', '--epoch', '4'], context), stderr()).toBe(0);
      const { info, tensors, optimizerStep } = readCheckpoint(join(dir, 'run', 'checkpoints', 'checkpoint-2.safetensors'));
      const written = readTorchCheckpoint(readFileSync(out)) as Record<string, any>;
      expect(Object.keys(written).sort()).toEqual(['args', 'epoch', 'model', 'model_ema1', 'model_ema2', 'optimizer']);
      expect(written.epoch).toBe(4);
      for (const [key, tensor] of tensors) {
        const [top, ...rest] = key.split('.');
        if (top === 'optimizer') continue;
        expect(top === 'model' ? written.model[rest.join('.')] : written[top][rest.join('.')], key).toEqual(tensor);
      }
      expect(written.model['scale.std'].shape).toEqual([1, 3, 1, 1]);

      // The optimizer has the keys and value types of the official fixture's torch AdamW.
      const fixture = readTorchCheckpointFile(fixturePath('torch-checkpoint', 'checkpoint-last.pth'), { select: ['optimizer'] }).optimizer as Record<
        string,
        any
      >;
      const [, fixtureEntry] = [...fixture.state][0];
      const [index, entry] = [...(written.optimizer.state as Map<number, Record<string, RawTensor>>)][0];
      expect(typeof index).toBe('number');
      expect(Object.keys(entry).sort()).toEqual(Object.keys(fixtureEntry).sort());
      expect(entry.step).toEqual({ dtype: 'F32', shape: [], data: Float32Array.of(optimizerStep) });
      expect(written.optimizer.param_groups).toHaveLength(2);
      for (const group of written.optimizer.param_groups) {
        for (const [key, value] of Object.entries(fixture.param_groups[0])) if (key !== 'params') expect(typeof group[key], key).toBe(typeof value);
      }
      expect(written.optimizer.param_groups[0].betas).toEqual(info.config.betas);

      // Our torch-AdamW importer (the reverse path) puts every moment back on its parameter.
      const modules = buildTrainingModules(info.config, { targetWidth: info.extra.targetWidth as number });
      try {
        const imported = loadTorchAdamW(modules.optimizer, modules.parameters, written.optimizer);
        expect(imported).toMatchObject({ step: optimizerStep, loaded: modules.parameters.length, unmatched: 0, zero: 0 });
        for (const { name, parameter } of modules.parameters) {
          const moment = adamwMoment(modules.optimizer, 'expAvgSq', name);
          const torchLayout = parameter.layout.toTorch(moment);
          expect(Array.from(await torchLayout.data()), name).toEqual(Array.from(tensors.get(`optimizer.exp_avg_sq.${name}`)!.data as Float32Array));
          tf.dispose([moment, torchLayout]);
        }
      } finally {
        modules.dispose();
      }
    },
  );

  itWithFixtures('refuses what is not a checkpoint of ours, and a wrong extension', ['torch-checkpoint'], async () => {
    const pth = fixturePath('torch-checkpoint', 'checkpoint-last.pth');
    const official = bufferContext(dir);
    expect(await runCli(['convert', pth, join(dir, 'x.pth'), '--to', 'pth'], official.context)).toBe(2);
    expect(official.stderr()).toContain('is not a checkpoint of pixelrepa train');
    const extension = bufferContext(dir);
    expect(await runCli(['convert', join(dir, 'run'), join(dir, 'x.safetensors'), '--to', 'pth'], extension.context)).toBe(2);
    expect(extension.stderr()).toContain('should end in .pth');
  });
});

describe('pixelrepa convert --to pth of a run aligned to DINOv2', () => {
  let dir: string;
  let weightsFile: string;
  beforeAll(async () => {
    await initBackend('cpu');
    dir = mkdtempSync(join(tmpdir(), 'pixelrepa-cli-pth-dino-'));
    // A run whose target tokens are 384 wide (a SmallViT stands in for training), recorded as aligned to DINOv2 ViT-S/14.
    await writeTinyEncoder(join(dir, 'encoder.safetensors'), { ...tinyEncoderConfig, embedDim: 384, numHeads: 6 });
    const { context, stderr } = bufferContext(dir);
    const code = await runCli(
      [
        'train',
        '--backend',
        'cpu',
        ...tinyModelFlags,
        '--encoder',
        join(dir, 'encoder.safetensors'),
        '--data',
        'procedural',
        '--data_length',
        '8',
        '--batch_size',
        '4',
        '--steps',
        '1',
        '--warmup_epochs',
        '0',
        '--output_dir',
        join(dir, 'run'),
      ],
      context,
    );
    if (code !== 0) throw new Error(stderr());
    weightsFile = join(dir, 'vits14.safetensors');
    writeSafetensorsFile(weightsFile, randomTimmViTS14());
    const flags = JSON.parse(readFileSync(join(dir, 'run', 'flags.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(dir, 'run', 'flags.json'), JSON.stringify({ ...flags, encoder: 'dinov2-vits14', encoder_weights: weightsFile }));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes repa_model.* as the encoder the run aligns to holds it (timm names, resampled to 16 px patches), and the repa args', async () => {
    const out = join(dir, 'official', 'checkpoint-last.pth');
    const { context, stderr } = bufferContext(dir);
    expect(await runCli(['convert', join(dir, 'run'), out, '--to', 'pth'], context), stderr()).toBe(0);
    expect(stderr()).toContain('repa_model.* = vit_small_patch14_dinov2.lvd142m at 64 px, patch 16');
    const written = readTorchCheckpoint(readFileSync(out)) as Record<string, any>;
    expect(written.args).toMatchObject({ repa_model: 'vit_small_patch14_dinov2.lvd142m', repa_image_size: 64, repa_patch_size: 16 });
    // The encoder pixelrepa train builds for this JiT (4×4 patches of 16 px images → 64 px, patch 16), and its state dict.
    const encoder = await loadTargetEncoder('dinov2-vits14', { grid: 4, weightsFile });
    const state = (encoder as DinoV2).stateDict();
    try {
      const names = Object.keys(written.model)
        .filter((key) => key.startsWith('repa_model.'))
        .map((key) => key.slice('repa_model.'.length));
      expect(names.sort()).toEqual([...state.keys()].sort());
      expect(written.model['repa_model.pos_embed'].shape).toEqual([1, 17, 384]);
      expect(written.model['repa_model.patch_embed.proj.weight'].shape).toEqual([384, 3, 16, 16]);
      for (const [name, tensor] of state) {
        expect(sameFloats(written.model[`repa_model.${name}`].data as Float32Array, (await tensor.data()) as Float32Array), name).toBe(true);
      }
    } finally {
      tf.dispose([...state.values()]);
      encoder.dispose();
    }
  });

  itWithFixtures("names repa_model.* exactly as timm 0.9.12's DINOv2 state_dict does (the official strict load needs every name)", ['dinov2-hf-names'], () => {
    const written = readTorchCheckpoint(readFileSync(join(dir, 'official', 'checkpoint-last.pth'))) as Record<string, any>;
    const mapping = JSON.parse(readFileSync(fixturePath('dinov2-hf-names', 'mapping.json'), 'utf8')) as { depth: number; rows: Array<{ timm: string }> };
    expect(mapping.depth).toBe(12); // ViT-S/14 and ViT-B/14 have the same names
    const names = Object.keys(written.model)
      .filter((key) => key.startsWith('repa_model.'))
      .map((key) => key.slice('repa_model.'.length));
    expect(names.sort()).toEqual([...new Set(mapping.rows.map((row) => row.timm))].sort()); // rows repeat qkv once per HF part
  });

  it('writes no repa_model.* for a run aligned to a SmallViT (and says why), and refuses DINOv2 weights of another width than the run trained against', async () => {
    const narrow = join(dir, 'narrow.safetensors');
    await writeTinyEncoder(narrow);
    const run = join(dir, 'narrow-run');
    const training = bufferContext(dir);
    expect(
      await runCli(
        [
          'train',
          '--backend',
          'cpu',
          ...tinyModelFlags,
          '--encoder',
          narrow,
          '--data',
          'procedural',
          '--data_length',
          '8',
          '--batch_size',
          '4',
          '--steps',
          '1',
          '--warmup_epochs',
          '0',
          '--output_dir',
          run,
        ],
        training.context,
      ),
      training.stderr(),
    ).toBe(0);
    const small = bufferContext(dir);
    expect(await runCli(['convert', run, join(dir, 'narrow.pth'), '--to', 'pth'], small.context), small.stderr()).toBe(0);
    expect(small.stderr()).toContain('not a DINOv2');
    expect(
      Object.keys((readTorchCheckpoint(readFileSync(join(dir, 'narrow.pth'))) as Record<string, any>).model).some((key) => key.startsWith('repa_model.')),
    ).toBe(false);

    const flags = JSON.parse(readFileSync(join(run, 'flags.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(run, 'flags.json'), JSON.stringify({ ...flags, encoder: 'dinov2-vits14', encoder_weights: weightsFile }));
    const wide = bufferContext(dir);
    expect(await runCli(['convert', run, join(dir, 'wide.pth'), '--to', 'pth'], wide.context)).toBe(2);
    expect(wide.stderr()).toContain('trained against 32-d target tokens but DINOv2 ViT-S/14 gives 384-d ones');
  });
});

/** Bit-identical float arrays (the arrays are millions long: compared as bytes). */
function sameFloats(a: Float32Array, b: Float32Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

/** A DINOv2 ViT-S/14 state dict under timm's names at the pretrained geometry (518 px, patch 14), with seeded values. */
function randomTimmViTS14(): Map<string, RawTensor> {
  const rng = createRng(3);
  const shapes: Array<[string, number[]]> = [
    ['cls_token', [1, 1, 384]],
    ['pos_embed', [1, 1370, 384]],
    ['patch_embed.proj.weight', [384, 3, 14, 14]],
    ['patch_embed.proj.bias', [384]],
  ];
  for (let i = 0; i < 12; i++) {
    const b = `blocks.${i}.`;
    shapes.push(
      [`${b}norm1.weight`, [384]],
      [`${b}norm1.bias`, [384]],
      [`${b}attn.qkv.weight`, [1152, 384]],
      [`${b}attn.qkv.bias`, [1152]],
      [`${b}attn.proj.weight`, [384, 384]],
      [`${b}attn.proj.bias`, [384]],
      [`${b}ls1.gamma`, [384]],
      [`${b}norm2.weight`, [384]],
      [`${b}norm2.bias`, [384]],
      [`${b}mlp.fc1.weight`, [1536, 384]],
      [`${b}mlp.fc1.bias`, [1536]],
      [`${b}mlp.fc2.weight`, [384, 1536]],
      [`${b}mlp.fc2.bias`, [384]],
      [`${b}ls2.gamma`, [384]],
    );
  }
  shapes.push(['norm.weight', [384]], ['norm.bias', [384]]);
  return new Map(
    shapes.map(([name, shape]) => {
      const t = rng.normal(shape);
      const data = t.dataSync() as Float32Array;
      t.dispose();
      return [name, { dtype: 'F32', shape, data: data.map((v) => v * 0.02) } as RawTensor];
    }),
  );
}
