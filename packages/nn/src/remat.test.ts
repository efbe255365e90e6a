import { expect, it } from 'vitest';
import { remat, tf } from '@pixelrepa/tensor';
import { describeEachBackend, liveTensors } from '@pixelrepa/tensor/testing';
import { AdaLNBlock } from './adaln-block.js';
import { Rope2d } from './rope.js';
import { valueAndGrads } from './gradients.js';
import type { Parameter } from './parameter.js';

describeEachBackend('remat (activation checkpointing)', () => {
  it('a chain of AdaLN blocks gives the same loss and gradients (bit for bit but for the shared conditioning), and holds less memory at its peak', async () => {
    const blocks = Array.from({ length: 4 }, () => new AdaLNBlock({ hiddenSize: 32, numHeads: 4, mlpRatio: 4, attnDrop: 0, projDrop: 0 }));
    const rope = new Rope2d(8, 4);
    const x = tf.randomNormal([2, 16, 32], 0, 1, 'float32', 1);
    const c = tf.randomNormal([2, 32], 0, 1, 'float32', 2);
    const named: Array<[string, Parameter]> = blocks.flatMap((block, i) => block.namedParameters(`${i}.`));
    const xParameter = { variable: tf.variable(x, true) } as Parameter;
    const cParameter = { variable: tf.variable(c, true) } as Parameter;
    named.push(['x', xParameter], ['c', cParameter]);
    const loss = () => {
      let h: tf.Tensor = xParameter.variable;
      for (const block of blocks) h = block.forward(h, cParameter.variable, rope);
      return tf.sum(tf.square(h));
    };
    const run = async (on: boolean) => {
      blocks.forEach((block) => (block.remat = on));
      const before = liveTensors();
      let result: { value: Float32Array; grads: Map<string, Float32Array> } | undefined;
      const profile = await tf.profile(async () => {
        const { value, grads } = valueAndGrads(loss, named);
        result = { value: (await value.data()) as Float32Array, grads: new Map() };
        for (const [name, grad] of grads) result.grads.set(name, (await grad.data()) as Float32Array);
        tf.dispose([value, ...grads.values()]);
      });
      expect(liveTensors()).toBe(before);
      return { ...result!, peakBytes: profile.peakBytes };
    };
    const plain = await run(false);
    const recomputed = await run(true);
    expect(recomputed.value).toEqual(plain.value);
    expect([...recomputed.grads.keys()]).toEqual([...plain.grads.keys()]);
    for (const [name, grad] of plain.grads) {
      if (name !== 'c') expect(recomputed.grads.get(name), name).toEqual(grad);
    }
    // c feeds every block (through SiLU's two uses of it): each remat call hands back its summed
    // contribution, so the sum over blocks associates differently — equal up to float rounding.
    const cPlain = plain.grads.get('c')!;
    const cRecomputed = recomputed.grads.get('c')!;
    const scale = Math.max(...cPlain.map(Math.abs));
    cPlain.forEach((v, i) => expect(Math.abs(cRecomputed[i] - v)).toBeLessThanOrEqual(4e-7 * scale));
    expect(plain.grads.get('0.attn.qkv.weight')!.some((v) => v !== 0)).toBe(true);
    expect(recomputed.peakBytes).toBeLessThan(0.8 * plain.peakBytes);
    tf.dispose([x, c, xParameter.variable, cParameter.variable]);
    rope.dispose();
    blocks.forEach((block) => block.dispose());
  });

  it('outside a gradient tape it is the function itself; parameters it does not reach get zero gradients', async () => {
    const w = tf.variable(tf.tensor1d([2, 3]), true);
    const unused = tf.variable(tf.tensor1d([5]), true);
    const x = tf.tensor1d([1, -1]);
    const before = liveTensors();
    const y = remat((input) => tf.mul(input, w), [x], [w, unused]);
    expect(Array.from(await y.data())).toEqual([2, -3]);
    y.dispose();
    const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(remat((input) => tf.mul(input, w), [x], [w, unused]))), [w, unused]);
    expect(Array.from(await value.data())).toEqual([13]);
    expect(Array.from(await grads[w.name].data())).toEqual([4, 6]); // d/dw Σ (x w)² = 2 x² w
    expect(Array.from(await grads[unused.name].data())).toEqual([0]);
    tf.dispose([value, ...Object.values(grads)]);
    expect(liveTensors()).toBe(before);
    tf.dispose([w, unused, x]);
  });
});
