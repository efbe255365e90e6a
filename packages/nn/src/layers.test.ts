import { expect, it } from 'vitest';
import { tf } from '@pixelrepa/tensor';
import { describeEachBackend, liveTensors } from '@pixelrepa/tensor/testing';
import { Attention } from './attention.js';
import { LayerNorm, RMSNorm } from './norm.js';
import { Rope2d, rotateHalf } from './rope.js';
import { SwiGLU } from './swiglu.js';
import { gelu, silu } from './activations.js';
import { Linear, linearChunks } from './linear.js';
import { valueAndGrads } from './gradients.js';

describeEachBackend('layers', () => {
  it('RMSNorm and LayerNorm normalise the last axis', async () => {
    const x = tf.tensor2d([
      [1, 2, 3, 4],
      [-2, 0, 2, 4],
    ]);
    const rms = new RMSNorm(4);
    const ln = new LayerNorm(4);
    const r = await rms.forward(x).data();
    const scale = Math.sqrt((1 + 4 + 9 + 16) / 4 + 1e-6);
    expect(r[3]).toBeCloseTo(4 / scale, 6);
    const l = await ln.forward(x).data();
    expect(l[0] + l[1] + l[2] + l[3]).toBeCloseTo(0, 6);
    tf.dispose(x);
    rms.dispose();
    ln.dispose();
  });

  it('linearChunks (on wasm one product per chunk where the chunk fits our GEMM) equals linear(x) split, values and gradients bit for bit', async () => {
    const linear = new Linear({ inFeatures: 16, outFeatures: 48 });
    tf.tidy(() => linear.bias!.assign(tf.randomNormal([48], 0, 1, 'float32', 5)));
    for (const rows of [20, 3]) {
      const x = tf.randomNormal([rows, 16], 0, 1, 'float32', rows);
      const before = liveTensors();
      const loss = (chunked: boolean) => () => {
        const parts = chunked ? linearChunks(linear, x, 3) : tf.split(linear.forward(x), 3, -1);
        return tf.sum(tf.add(tf.mul(parts[0], parts[1]), tf.square(parts[2])));
      };
      const named: Array<[string, typeof linear.weight]> = [
        ['weight', linear.weight],
        ['bias', linear.bias!],
      ];
      const ours = valueAndGrads(loss(true), named);
      const reference = valueAndGrads(loss(false), named);
      expect(await ours.value.data()).toEqual(await reference.value.data());
      for (const name of ['weight', 'bias']) expect(await ours.grads.get(name)!.data()).toEqual(await reference.grads.get(name)!.data());
      tf.dispose([ours.value, reference.value, ...ours.grads.values(), ...reference.grads.values()]);
      expect(liveTensors()).toBe(before);
      x.dispose();
    }
    linear.dispose();
  });

  it('rotateHalf rotates adjacent pairs', async () => {
    const x = tf.tensor1d([1, 2, 3, 4]);
    expect(Array.from(await rotateHalf(x).data())).toEqual([-2, 1, -4, 3]);
    x.dispose();
  });

  it('RoPE with a prefix leaves the prefix rows untouched', async () => {
    const rope = new Rope2d(8, 2, 3);
    const q = tf.randomNormal([1, 2, 7, 8], 0, 1, 'float32', 1);
    const rotated = rope.apply(q);
    const prefixIn = await tf.slice(q, [0, 0, 0, 0], [1, 2, 3, 8]).data();
    const prefixOut = await tf.slice(rotated, [0, 0, 0, 0], [1, 2, 3, 8]).data();
    expect(Array.from(prefixOut)).toEqual(Array.from(prefixIn));
    rope.dispose();
  });

  it('attention and SwiGLU keep the shape and leak nothing', () => {
    const attention = new Attention({ dim: 16, numHeads: 2 });
    const ffn = new SwiGLU({ dim: 16, hiddenDim: 64 });
    expect(ffn.hidden).toBe(42);
    const rope = new Rope2d(8, 3);
    const x = tf.randomNormal([2, 9, 16]);
    const before = liveTensors();
    const y = tf.tidy(() => ffn.forward(attention.forward(x, rope)));
    expect(y.shape).toEqual([2, 9, 16]);
    y.dispose();
    expect(liveTensors()).toBe(before);
    tf.dispose(x);
    attention.dispose();
    ffn.dispose();
    rope.dispose();
  });

  it('SwiGLU (hidden width a multiple of 4: the fused kernels on wasm) is w3(silu(a) · b), values and gradients', async () => {
    const ffn = new SwiGLU({ dim: 16, hiddenDim: 96 });
    expect(ffn.hidden).toBe(64);
    const x = tf.randomNormal([2, 9, 16], 0, 1, 'float32', 7);
    const byHand = () =>
      tf.tidy(() => {
        const [a, b] = linearChunks(ffn.w12, x, 2);
        return tf.sum(tf.square(ffn.w3.forward(tf.mul(silu(a), b))));
      });
    const loss = () => tf.tidy(() => tf.sum(tf.square(ffn.forward(x))));
    const before = liveTensors();
    const ours = valueAndGrads(loss, ffn.namedParameters());
    const theirs = valueAndGrads(byHand, ffn.namedParameters());
    expect(await ours.value.data()).toEqual(await theirs.value.data());
    for (const [name, grad] of theirs.grads) expect(Array.from(await ours.grads.get(name)!.data())).toEqual(Array.from(await grad.data()));
    tf.dispose([ours.value, theirs.value, ...ours.grads.values(), ...theirs.grads.values()]);
    expect(liveTensors()).toBe(before);
    tf.dispose(x);
    ffn.dispose();
  });

  it('GELU is the exact erf form', async () => {
    const y = await gelu(tf.tensor1d([-1, 0, 1])).data();
    expect(y[2]).toBeCloseTo(0.8413447, 6);
    expect(y[0]).toBeCloseTo(-0.1586553, 6);
  });
});
