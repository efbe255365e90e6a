import { initializeAdaLN, type Module, type RandomSource } from '@pixelrepa/nn';

/**
 * The reference's `initialize_weights`: xavier-uniform Linear weights and zero biases (patch
 * convs are Linears here); N(0, 0.02) label table and timestep MLP weights; adaLN and output
 * layers zeroed (so a fresh model predicts x̂ = 0).
 */
export function initializeJiT(model: Module, random: RandomSource): void {
  initializeAdaLN(model, random, {
    normal: ['y_embedder.embedding_table', 't_embedder.mlp.0', 't_embedder.mlp.2'],
    zero: ['blocks.*.adaLN_modulation.1', 'final_layer.adaLN_modulation.1', 'final_layer.linear'],
  });
}
