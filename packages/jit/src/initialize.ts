import { tf } from '@pixelrepa/tensor';
import { assignWeightMatrix, init, Linear, type Module, type Parameter, type RandomSource } from '@pixelrepa/nn';
import type { JiT } from './jit.js';

function visit(module: Module, fn: (m: Module) => void): void {
  fn(module);
  for (const [, child] of module.namedChildren()) visit(child, fn);
}

function set(parameter: Parameter, value: tf.Tensor): void {
  parameter.assign(value);
}

/**
 * The reference's `initialize_weights`: xavier-uniform Linear weights and zero biases; patch
 * convs initialised like Linears; N(0, 0.02) label table and timestep MLP weights; adaLN and
 * output layers zeroed (so a fresh model predicts x̂ = 0).
 */
export function initializeJiT(model: JiT, random: RandomSource): void {
  visit(model, (m) => {
    if (m instanceof Linear) {
      assignWeightMatrix(m, init.xavierUniform(random, [m.outFeatures, m.inFeatures]));
      if (m.bias) set(m.bias, init.zeros([m.outFeatures]));
    }
  });
  const embedding = model.y_embedder.embedding_table.weight;
  set(embedding, init.normal(random, embedding.shape, 0.02));
  for (const index of [0, 2]) {
    const linear = model.t_embedder.mlp.layers[index] as Linear;
    assignWeightMatrix(linear, init.normal(random, [linear.outFeatures, linear.inFeatures], 0.02));
  }
  const zero = (p: Parameter | undefined) => p && set(p, init.zeros(p.shape));
  for (const block of model.blocks) {
    const modulation = block.adaLN_modulation.layers[1] as Linear;
    zero(modulation.weight);
    zero(modulation.bias);
  }
  const finalModulation = model.final_layer.adaLN_modulation.layers[1] as Linear;
  zero(finalModulation.weight);
  zero(finalModulation.bias);
  zero(model.final_layer.linear.weight);
  zero(model.final_layer.linear.bias);
}
