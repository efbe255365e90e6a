import { fileURLToPath } from 'node:url';
import { tf, createRng, type Rng } from '@pixelrepa/tensor';
import { valueAndGrads, type Parameter } from '@pixelrepa/nn';
import type { SmallViT } from '@pixelrepa/encoders';
import { loadSmallViTFile } from '@pixelrepa/encoders/node';
import { createObjective, type AlignmentObjective } from '@pixelrepa/align';
import { DataLoader, batchLabelsTensor, batchToFloatTensor, proceduralDataset } from '@pixelrepa/data';
import { adamwInit, adamwUpdate, disposeAdamW, weightDecayGroups } from '@pixelrepa/train';
import { TinyDiT } from './tiny-dit.js';
import { alphaBars, noiseImages } from './ddpm.js';

/** The small encoder the quickstart aligns to (a file, shared with that example; not code). */
const encoderPath = fileURLToPath(new URL('../../quickstart/assets/procedural-encoder.safetensors', import.meta.url));

export function loadEncoder(): SmallViT {
  return loadSmallViTFile(encoderPath);
}

export interface RunOptions {
  objective: 'repa' | 'pixelrepa';
  steps: number;
  batchSize: number;
  seed?: number;
  onStep?: (step: number, diffusion: number, align: number) => void;
}

export interface RunResult {
  diffusion: number[];
  align: number[];
}

/**
 * Trains the tiny DiT (ε-prediction, DDPM noising) with an alignment objective from
 * @pixelrepa/align on its block-2 tokens: L = L_ε + λ·L_align.
 */
export async function trainWithObjective(encoder: SmallViT, { objective: kind, steps, batchSize, seed = 0, onStep }: RunOptions): Promise<RunResult> {
  const [initRng, rng] = createRng(seed).split(2);
  const model = new TinyDiT({ imageSize: 32, patchSize: 8, width: 64, depth: 4, heads: 4, numClasses: 10, alignDepth: 2 }, initRng);
  model.train();
  const objective: AlignmentObjective =
    kind === 'repa'
      ? createObjective('repa', { hiddenSize: 64, targetSize: encoder.embedDim, projectorDim: 256, random: initRng })
      : createObjective('pixelrepa', {
          adapter: 'MTA-B/16',
          adapterOverrides: { inputSize: 32, patchSize: 8, hiddenSize: 64, numHeads: 4, inContextLen: 4, numClasses: 10, outChannels: encoder.embedDim },
          random: initRng,
        });
  const named: Array<[string, Parameter]> = [
    ...model.namedParameters(),
    ...objective.namedParameters().map(([n, p]) => [`align.${n}`, p] as [string, Parameter]),
  ];
  const parameters = weightDecayGroups(named, 0);
  const optimizer = adamwInit(parameters);
  const schedule = tf.tensor1d(alphaBars());
  const data = new DataLoader(proceduralDataset({ imageSize: 32, seed: seed + 1, length: 10_000 }), {
    batchSize,
    seed,
    shuffle: true,
    flip: true,
    dropLast: true,
  });
  const result: RunResult = { diffusion: [], align: [] };
  let step = 0;
  for (let epoch = 0; step < steps; epoch++) {
    for await (const batch of data.epoch(epoch)) {
      const x0 = batchToFloatTensor(batch);
      const y = batchLabelsTensor(batch);
      const target = tf.tidy(() => encoder.encode(x0));
      const draws = drawStep(rng, x0.shape, objective, model.config.imageSize / model.config.patchSize);
      let parts: [tf.Tensor, tf.Tensor] | undefined;
      const { value, grads } = valueAndGrads(
        () => {
          const xt = noiseImages(x0, draws.eps, draws.t, schedule);
          const { eps, tokens } = model.forward(xt, tf.cast(draws.t, 'float32'), y);
          const diffusion = tf.mean(tf.square(tf.sub(eps, draws.eps)));
          // The objectives follow JiT's time convention (t = 1 clean): map the DDPM step to it.
          const t = tf.sub(1, tf.div(tf.cast(draws.t, 'float32'), 1000));
          const { loss } = objective.compute({ tokens, target, t, y, maskNoise: draws.mask });
          parts = [tf.keep(diffusion), tf.keep(loss)];
          return tf.add(diffusion, tf.mul(loss, objective.weight));
        },
        parameters.map(({ name, parameter }) => [name, parameter]),
      );
      adamwUpdate(optimizer, parameters, grads, 1e-3);
      const [diffusion, align] = await Promise.all(parts!.map(async (t) => (await t.data())[0]));
      result.diffusion.push(diffusion);
      result.align.push(align);
      tf.dispose([x0, y, target, draws.eps, draws.t, ...(draws.mask ? [draws.mask] : []), value, ...grads.values(), ...parts!]);
      step++;
      onStep?.(step, diffusion, align);
      if (step >= steps) break;
    }
  }
  disposeAdamW(optimizer);
  schedule.dispose();
  objective.dispose();
  model.dispose();
  return result;
}

function drawStep(rng: Rng, shape: number[], objective: AlignmentObjective, grid: number) {
  return {
    eps: rng.normal(shape),
    t: rng.randint([shape[0]], { high: 1000 }),
    mask: objective.kind === 'pixelrepa' ? rng.uniform([shape[0], grid * grid]) : undefined,
  };
}

/** Mean of the first and of the last `n` values. */
export function firstAndLast(values: number[], n = 10): [number, number] {
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  return [mean(values.slice(0, n)), mean(values.slice(-n))];
}
