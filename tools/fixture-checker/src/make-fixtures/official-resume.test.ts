// The official PixelREPA code resumes from what `pixelrepa convert RUN OUT/checkpoint-last.pth --to pth`
// writes: tools/make-fixtures/check_official_resume.py runs main_pixelREPA.py's own resume block
// (strict load of `model`, the EMA lists, AdamW's state) on the official Denoiser built from the
// checkpoint's args, with timm 0.9.12 building the DINOv2 from the same local weights file, then one
// official training step. A run of the smallest presets the official code knows (JiT-B/16 and
// MTA-B/16 at 32 px, DINOv2 ViT-S/14): gigabytes of checkpoint, so it runs only when
// PIXELREPA_OFFICIAL_RESUME=1 (docs/scale.md, "What is checked").
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CommandContext } from '@pixelrepa/cli';
import { findOfficialFolder } from './official-folder.js';
import { findTorchPython } from './python.js';

const script = fileURLToPath(new URL('../../../make-fixtures/check_official_resume.py', import.meta.url));
const official = findOfficialFolder();
const timm = process.env.PIXELREPA_TIMM && resolve(process.env.PIXELREPA_TIMM);

function unavailableReason(): string | undefined {
  if (process.env.PIXELREPA_OFFICIAL_RESUME !== '1')
    return 'a long check (JiT-B/16: a few GB of checkpoints, minutes on 2 cores): set PIXELREPA_OFFICIAL_RESUME=1 to run it';
  if (!official) return 'no official PixelREPA checkout ($PIXELREPA_OFFICIAL, a checkout of kaist-cvml/PixelREPA at 5181608)';
  if (!existsSync(join(official, 'main_pixelREPA.py')) || !existsSync(join(official, 'engine_pixelREPA.py')))
    return `${official} has no main_pixelREPA.py / engine_pixelREPA.py`;
  if (!timm || !existsSync(join(timm, 'timm', 'models', 'vision_transformer.py')))
    return 'no timm checkout ($PIXELREPA_TIMM, huggingface/pytorch-image-models at v0.9.12)';
  const python = findTorchPython();
  if (!python.python) return python.reason;
  const torchvision = spawnSync(python.python, ['-c', 'import torchvision'], { encoding: 'utf8' });
  if (torchvision.status !== 0) return `timm needs torchvision (${python.python}: ${torchvision.stderr.trim().split('\n').pop()}; Debian: python3-torchvision)`;
  return undefined;
}

const unavailable = unavailableReason();
if (unavailable) console.warn(`official resume check skipped: ${unavailable}`);

function context(cwd: string): { context: CommandContext; stderr: () => string } {
  let err = '';
  return {
    context: {
      stdout: { write: () => {} },
      stderr: {
        write: (text: string) => {
          err += text;
        },
      },
      cwd,
      handleSignals: false,
    },
    stderr: () => err,
  };
}

function python(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(findTorchPython().python!, [script, ...args], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    env: { ...process.env, PIXELREPA_OFFICIAL: official, PIXELREPA_TIMM: timm },
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe.skipIf(unavailable)('the official main_pixelREPA.py --resume reads pixelrepa convert --to pth', () => {
  let dir: string;
  const weights = () => join(dir, 'vits14.pth');
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pixelrepa-official-resume-'));
    const made = python(['weights', weights(), '--seed', '3']);
    if (made.status !== 0) throw new Error(`check_official_resume.py weights failed:\n${made.stderr}`);
    const training = context(dir);
    const code = await runCli(
      [
        'train',
        '--backend',
        'cpu',
        '--model',
        'JiT-B/16',
        '--img_size',
        '32',
        '--class_num',
        '2',
        '--mta',
        'MTA-B/16',
        '--encoder',
        'dinov2-vits14',
        '--encoder_weights',
        weights(),
        '--offline',
        '--data',
        'procedural',
        '--data_length',
        '4',
        '--batch_size',
        '2',
        '--steps',
        '1',
        '--warmup_epochs',
        '0',
        '--output_dir',
        join(dir, 'run'),
      ],
      training.context,
    );
    if (code !== 0) throw new Error(training.stderr());
  }, 1_800_000);
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('loads strictly with every tensor as we wrote it, repa_model.* as timm builds it, AdamW state in place, and trains a step', async () => {
    const out = join(dir, 'official', 'checkpoint-last.pth');
    const converting = context(dir);
    expect(await runCli(['convert', join(dir, 'run'), out, '--to', 'pth'], converting.context), converting.stderr()).toBe(0);
    expect(converting.stderr()).toContain('repa_model.* = vit_small_patch14_dinov2.lvd142m at 32 px, patch 16');
    const ours = join(
      dir,
      'run',
      'checkpoints',
      readdirSync(join(dir, 'run', 'checkpoints')).find((name) => name.endsWith('.safetensors'))!,
    );
    const run = python(['check', out, '--ours', ours, '--encoder_weights', weights(), '--train_step']);
    const line = run.stdout.trim().split('\n').pop() ?? '';
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    const results = JSON.parse(line) as {
      failures: string[];
      start_epoch: number;
      model_keys: number;
      model_tensors_equal: number;
      repa_model_tensors: number;
      repa_model_max_abs_diff_vs_timm: number;
      ema_params: number;
      adamw: { step: number; parameters_with_state: number; groups: number[] };
      train_step: { loss: number; adamw_step: number[]; net_parameters_moved: number; ema1_entries_moved: number };
    };
    console.log(`official resume: ${line}`);
    expect(results.failures).toEqual([]);
    expect(results.start_epoch).toBe(0); // convert's default epoch for 1 step is -1: --resume starts at epoch 0
    expect(results.repa_model_tensors).toBe(174); // every tensor of timm's ViT-S/14 state dict
    expect(results.model_tensors_equal + results.repa_model_tensors + 4).toBe(results.model_keys);
    expect(results.adamw.step).toBe(1);
    expect(results.adamw.parameters_with_state).toBe(results.adamw.groups[0]! + results.adamw.groups[1]!);
    expect(results.ema_params).toBeGreaterThan(0);
    expect(results.train_step.adamw_step).toEqual([2]);
    expect(Number.isFinite(results.train_step.loss)).toBe(true);
  }, 1_800_000);
});
