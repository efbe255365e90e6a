import type { Tensor } from '@pixelrepa/tensor';
import { Rope2d, rotateHalf, sincosPositionEmbedding2d, sincosPositionEmbedding2dF64, timestepEmbedding } from '@pixelrepa/nn';
import type { KindChecker, TensorResult } from '../kind.js';
import { compareTensor } from '../compare.js';
import { compareAll, disposeAll, input } from '../tensors.js';

/** 2-D sin-cos tables, RoPE tables and application, rotate_half, timestep embedding. */
export const checker: KindChecker = {
  kind: 'sincos_rope_temb',
  async check(fixture) {
    const config = fixture.json.config;
    const expected = fixture.expected();
    const results: TensorResult[] = [];
    for (const { embed_dim: dim, grid_size: grid } of config.get_2d_sincos_pos_embed as Array<{ embed_dim: number; grid_size: number }>) {
      const name = `pos_embed_${dim}_${grid}`;
      results.push(compareTensor(fixture.json, name, sincosPositionEmbedding2d(dim, grid), expected.get(name)!));
      if (expected.has(`${name}_f64`)) {
        results.push(compareTensor(fixture.json, `${name}_f64`, sincosPositionEmbedding2dF64(dim, grid), expected.get(`${name}_f64`)!));
      }
    }
    const actual = new Map<string, Tensor>();
    for (const rope of config.VisionRotaryEmbeddingFast as Array<{ dim: number; pt_seq_len: number; num_cls_token: number }>) {
      const prefix = rope.num_cls_token;
      const tables = new Rope2d(2 * rope.dim, rope.pt_seq_len, prefix);
      const q = input(fixture, `q_cls${prefix}`);
      actual.set(`rope_cls${prefix}.freqs_cos`, tables.cos.clone());
      actual.set(`rope_cls${prefix}.freqs_sin`, tables.sin.clone());
      actual.set(`rope_cls${prefix}.q_out`, tables.apply(q));
      if (expected.has(`rotate_half.q_cls${prefix}`)) actual.set(`rotate_half.q_cls${prefix}`, rotateHalf(q));
      q.dispose();
      tables.dispose();
    }
    const t = input(fixture, 't');
    for (const dim of config['TimestepEmbedder.timestep_embedding'].dims as number[]) {
      actual.set(`timestep_embedding_${dim}`, timestepEmbedding(t, dim, config['TimestepEmbedder.timestep_embedding'].max_period));
    }
    t.dispose();
    results.push(...(await compareAll(fixture, actual)));
    disposeAll(actual);
    return results;
  },
};
