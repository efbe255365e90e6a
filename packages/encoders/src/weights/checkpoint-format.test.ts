import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { RawTensor } from '@pixelrepa/io';
import { loadCase, describeWithFixtures } from '@pixelrepa/tensor/testing';
import { detectCheckpointFormat, toTimmStateDict } from './checkpoint-format.js';
import { hfToMetaName } from './hf-names.js';
import { metaToTimmName } from './meta-to-timm.js';
import { timmToHf } from './timm-to-hf.js';

const hfCase = loadCase('dinov2-hf-names');
const resampleCase = loadCase('dinov2-resample');
const f32 = (shape: number[], fill: (i: number) => number = () => 0): RawTensor => ({
  dtype: 'F32',
  shape,
  data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => fill(i)),
});

function expectSameStateDicts(actual: Map<string, RawTensor>, expected: Map<string, RawTensor>) {
  expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
  for (const [name, value] of expected) {
    expect(actual.get(name)!.shape, name).toEqual(value.shape);
    expect(Array.from(actual.get(name)!.data as Float32Array), name).toEqual(Array.from(value.data as Float32Array));
  }
}

describeWithFixtures("checkpoint names: Hugging Face and DINOv2's own → timm", ['dinov2-hf-names', 'dinov2-resample'], () => {
  it("maps every row of the fixture's mapping.json (qkv = query | key | value)", () => {
    const mapping = JSON.parse(readFileSync(join(hfCase.dir, 'mapping.json'), 'utf8'));
    for (const row of mapping.rows) {
      const mapped = hfToMetaName(row.hf)!;
      expect(metaToTimmName(mapped.meta), row.hf).toBe(row.timm);
      expect(Boolean(mapped.part), row.hf).toBe(row.transform !== 'identity');
    }
    expect(metaToTimmName(hfToMetaName('embeddings.mask_token')!.meta)).toBeUndefined();
  });

  it('turns the HF weights into exactly the timm checkpoint (mask_token dropped)', () => {
    const hf = hfCase.file('weights_hf.safetensors');
    expect(detectCheckpointFormat(hf.keys())).toBe('hf');
    const { state, format } = toTimmStateDict(hf);
    expect(format).toBe('hf');
    expectSameStateDicts(state, resampleCase.weights());
  });

  it('writes HF names back exactly (round trip)', () => {
    const hf = hfCase.file('weights_hf.safetensors');
    expectSameStateDicts(timmToHf(toTimmStateDict(hf).state), hf);
  });

  it('accepts a transformers backbone under the dinov2. prefix', () => {
    const hf = new Map([...hfCase.file('weights_hf.safetensors')].map(([k, v]) => [`dinov2.${k}`, v]));
    expectSameStateDicts(toTimmStateDict(hf).state, resampleCase.weights());
  });

  it('converts register checkpoints as timm does: cls absorbs the cls position, the table keeps the patches', () => {
    const D = 2;
    const meta = new Map<string, RawTensor>([
      ['cls_token', f32([1, 1, D], (i) => 10 + i)],
      ['register_tokens', f32([1, 4, D], (i) => i)],
      ['mask_token', f32([1, D])],
      ['pos_embed', f32([1, 1 + 4, D], (i) => 100 + i)],
    ]);
    expect(detectCheckpointFormat(meta.keys())).toBe('meta');
    const { state } = toTimmStateDict(meta);
    expect([...state.keys()].sort()).toEqual(['cls_token', 'pos_embed', 'reg_token']);
    expect(Array.from(state.get('cls_token')!.data as Float32Array)).toEqual([110, 112]);
    expect(state.get('pos_embed')!.shape).toEqual([1, 4, D]);
    expect(Array.from(state.get('pos_embed')!.data as Float32Array).slice(0, 2)).toEqual([102, 103]);
    expect(state.get('reg_token')).toBe(meta.get('register_tokens'));
  });

  it("names ViT-g's packed SwiGLU fc1/fc2 (DINOv2 w12/w3, HF weights_in/weights_out)", () => {
    const hf = new Map<string, RawTensor>([
      ['embeddings.cls_token', f32([1, 1, 4])],
      ['encoder.layer.0.mlp.weights_in.weight', f32([8, 4])],
      ['encoder.layer.0.mlp.weights_out.weight', f32([4, 4])],
    ]);
    const { state } = toTimmStateDict(hf);
    expect([...state.keys()].sort()).toEqual(['blocks.0.mlp.fc1.weight', 'blocks.0.mlp.fc2.weight', 'cls_token']);
    expect([...timmToHf(state).keys()]).toContain('encoder.layer.0.mlp.weights_in.weight');
    const meta = new Map([
      ['mask_token', f32([1, 4])],
      ['blocks.3.mlp.w12.bias', f32([8])],
      ['blocks.3.mlp.w3.bias', f32([4])],
    ]);
    expect([...toTimmStateDict(meta).state.keys()]).toEqual(['blocks.3.mlp.fc1.bias', 'blocks.3.mlp.fc2.bias']);
  });

  it('says which part of a split qkv is missing', () => {
    const hf = new Map([['encoder.layer.0.attention.attention.query.weight', f32([2, 2])]]);
    expect(() => toTimmStateDict(hf)).toThrow(/blocks\.0\.attn\.qkv\.weight: the checkpoint has only 1 of its 3 parts/);
  });
});
