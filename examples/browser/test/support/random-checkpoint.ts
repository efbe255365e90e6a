// A small JiT with deterministic random weights, written as plain JiT weights plus the model
// description beside them (the format `export-checkpoint` writes), so the browser test needs no
// trained checkpoint.
import { tf, createRng } from '@pixelrepa/tensor';
import { writeSafetensors } from '@pixelrepa/io';
import { rawStateDict } from '@pixelrepa/nn';
import { JiT } from '@pixelrepa/jit';
import { describedConfig, type ModelDescription } from '../../src/checkpoint.ts';

/** 32 px in 8×8 patches (16 tokens), width 64, 2 blocks of 2 heads, 2 in-context tokens, 4 classes. */
export const testModel: ModelDescription = {
  model: 'JiT-Tiny/4',
  modelOverrides: { inputSize: 32, patchSize: 8, hiddenSize: 64, depth: 2, numHeads: 2, bottleneckDim: 16, inContextLen: 2, inContextStart: 1, numClasses: 4 },
  noise_scale: 1,
  t_eps: 0.05,
};

/**
 * The reference initialisation zeroes every adaLN modulation and the output layer (adaLN-Zero),
 * which would make the model output 0; every tensor but the fixed position table gets N(0, std²)
 * added so that each part of the network shapes the images.
 */
export async function randomCheckpoint({ seed = 7, std = 0.05 } = {}): Promise<Uint8Array> {
  const rng = createRng(seed);
  const model = new JiT(describedConfig(testModel), { random: rng });
  const state = model.stateDict();
  const perturbed = new Map(
    [...state].map(([name, value]) => [name, name === 'pos_embed' ? value : tf.tidy(() => tf.add(value, rng.normal(value.shape, { std })))]),
  );
  try {
    return writeSafetensors(await rawStateDict(perturbed), { pixelrepa_test: `random JiT weights, seed ${seed}, std ${std}` });
  } finally {
    tf.dispose([...state.values(), ...perturbed.values()]);
    model.dispose();
  }
}
