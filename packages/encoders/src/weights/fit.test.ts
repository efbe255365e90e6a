import { describe, expect, it } from 'vitest';
import type { RawTensor } from '@pixelrepa/io';
import { dinov2Config } from '../dinov2/config.js';
import { checkWeightsFit, EncoderWeightsError } from './fit.js';
import { summarizeDinoV2Weights } from './summary.js';

/** Shapes only (the checks never read values). */
function fakeTimmWeights({
  D,
  depth,
  hidden = 4 * D,
  fc2In = hidden,
  registers = 0,
}: {
  D: number;
  depth: number;
  hidden?: number;
  fc2In?: number;
  registers?: number;
}) {
  const shape = (s: number[]): RawTensor => ({ dtype: 'F32', shape: s, data: new Float32Array(0) });
  const state = new Map<string, RawTensor>([
    ['cls_token', shape([1, 1, D])],
    ['pos_embed', shape([1, 37 * 37 + (registers ? 0 : 1), D])],
    ['patch_embed.proj.weight', shape([D, 3, 14, 14])],
  ]);
  if (registers) state.set('reg_token', shape([1, registers, D]));
  for (let i = 0; i < depth; i++) {
    state.set(`blocks.${i}.norm1.weight`, shape([D]));
    state.set(`blocks.${i}.mlp.fc1.weight`, shape([hidden, D]));
    state.set(`blocks.${i}.mlp.fc2.weight`, shape([D, fc2In]));
  }
  return state;
}

describe('weights that belong to another model', () => {
  it('reads the architecture off the shapes', () => {
    expect(summarizeDinoV2Weights(fakeTimmWeights({ D: 1536, depth: 2, hidden: 8192, fc2In: 4096, registers: 4 }))).toEqual({
      embedDim: 1536,
      depth: 2,
      mlp: 'swiglu-packed',
      mlpHidden: 8192,
      regTokens: 4,
      kernelSize: [14, 14],
      gridSide: 37,
    });
  });

  it('names both models when ViT-L weights meet a ViT-B encoder', () => {
    const config = dinov2Config('dinov2-vitb14', { imgSize: 256, patchSize: 16 });
    const check = () => checkWeightsFit(config, summarizeDinoV2Weights(fakeTimmWeights({ D: 1024, depth: 24 })));
    expect(check).toThrow(EncoderWeightsError);
    expect(check).toThrow(
      'these weights look like DINOv2 ViT-L/14 (embed 1024, depth 24), the encoder is DINOv2 ViT-B/14 (embed 768, depth 12): embed 1024 vs 768, depth 24 vs 12. Build the encoder as "dinov2-vitl14" for them, or load DINOv2 ViT-B/14 weights.',
    );
  });

  it('tells register and plain checkpoints apart', () => {
    const config = dinov2Config('dinov2-vits14');
    expect(() => checkWeightsFit(config, summarizeDinoV2Weights(fakeTimmWeights({ D: 384, depth: 12, registers: 4 })), 'model.safetensors')).toThrow(
      /model\.safetensors look like DINOv2 ViT-S\/14 \(embed 384, depth 12, 4 registers\).*4 vs 0 register tokens.*"dinov2-vits14-reg4"/,
    );
  });

  it('accepts the matching architecture', () => {
    const config = dinov2Config('dinov2-vitg14');
    expect(() => checkWeightsFit(config, summarizeDinoV2Weights(fakeTimmWeights({ D: 1536, depth: 40, hidden: 8192, fc2In: 4096 })))).not.toThrow();
  });
});
