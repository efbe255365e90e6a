import { describe, expect, it } from 'vitest';
import { tf } from '@pixelrepa/tensor';
import { describeEachBackend, liveTensors } from '@pixelrepa/tensor/testing';
import { MaskedTransformerAdapter } from './mta.js';
import { mtaConfig, mtaPresets } from './config.js';
import { maskTokens } from './mask.js';

const small = mtaConfig('MTA-B/16', { inputSize: 32, patchSize: 4, hiddenSize: 32, numHeads: 2, inContextLen: 4, numClasses: 10, outChannels: 24 });

describe('MTA presets', () => {
  it('are two JiT blocks at the JiT width', () => {
    expect(mtaPresets['MTA-B/16']).toMatchObject({ depth: 2, hiddenSize: 768, numHeads: 12, inContextLen: 32 });
    expect(mtaPresets['MTA-L/16'].hiddenSize).toBe(1024);
    expect(mtaPresets['MTA-H/16'].hiddenSize).toBe(1280);
    expect(() => mtaConfig('MTA-X')).toThrow(/known presets: MTA-B\/16/);
  });
});

describeEachBackend('Masked Transformer Adapter', () => {
  it('masks each token independently where u ≤ ratio', async () => {
    const tokens = tf.ones([1, 4, 2]);
    const maskToken = tf.fill([1, 1, 2], 7);
    const u = tf.tensor2d([[0.1, 0.2, 0.25, 0.9]]);
    const masked = await maskTokens(tokens, maskToken, u, 0.2).data();
    expect(Array.from(masked)).toEqual([7, 7, 7, 7, 1, 1, 1, 1]);
    expect(() => maskTokens(tokens, maskToken, tf.zeros([1, 3]), 0.2)).toThrow(/one value per token/);
    expect(() => maskTokens(tokens, maskToken, u, 1)).toThrow(/mask ratio/);
    tf.dispose([tokens, maskToken, u]);
  });

  it('maps JiT tokens to the target width with the state-dict names of the reference', () => {
    const mta = new MaskedTransformerAdapter(small);
    const names = mta.namedParameters().map(([n]) => n);
    expect(names).toContain('blocks.1.attn.qkv.weight');
    expect(names).toContain('projection_layer.mlp.3.weight');
    expect(names).toContain('in_context_posemb');
    const x = tf.randomNormal([2, 64, 32]);
    const before = liveTensors();
    const out = mta.forward(x, tf.tensor1d([0.1, 0.5]), tf.tensor1d([1, 10], 'int32'));
    expect(out.shape).toEqual([2, 64, 24]);
    expect(liveTensors()).toBe(before + 3); // out and the two inline inputs
    expect(() => mta.forward(tf.zeros([2, 63, 32]), tf.zeros([2]), tf.zeros([2], 'int32'))).toThrow(/expects tokens \[B, 64, 32\]/);
    mta.dispose();
  });
});
