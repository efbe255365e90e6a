import { expect, it } from 'vitest';
import { dense, tf } from '@pixelrepa/tensor';
import { describeEachBackend, liveTensors } from '@pixelrepa/tensor/testing';
import { Linear } from './linear.js';
import { Module } from './module.js';
import { RMSNorm } from './norm.js';
import { Sequential } from './sequential.js';
import { SiLU } from './activations.js';
import { StateDictError } from './state-dict-error.js';

class Tiny extends Module {
  readonly head = this.addModule(
    'head',
    new Sequential(new Linear({ inFeatures: 4, outFeatures: 3 }), SiLU(), new Linear({ inFeatures: 3, outFeatures: 2, bias: false })),
  );
  readonly norm = this.addModule('norm', new RMSNorm(2));
  readonly fixed = this.addParameter('fixed', tf.ones([2]), { trainable: false });
}

describeEachBackend('Module state dicts', () => {
  it('names parameters with PyTorch dotted keys in registration order', () => {
    const model = new Tiny();
    expect(model.namedParameters().map(([name]) => name)).toEqual(['fixed', 'head.0.weight', 'head.0.bias', 'head.2.weight', 'norm.weight']);
    expect(model.trainableParameters().map(([name]) => name)).not.toContain('fixed');
    expect(model.parameterCount()).toBe(2 + 12 + 3 + 6 + 2);
    model.dispose();
  });

  it('round-trips stateDict → loadStateDict exactly', async () => {
    const a = new Tiny();
    const b = new Tiny();
    const state = a.stateDict();
    b.loadStateDict(state);
    const again = b.stateDict();
    for (const [name, value] of state) expect(Array.from(await again.get(name)!.data())).toEqual(Array.from(await value.data()));
    tf.dispose([...state.values(), ...again.values()]);
    a.dispose();
    b.dispose();
  });

  it('lists every missing, unexpected and mis-shaped key in strict mode and changes nothing', async () => {
    const model = new Tiny();
    const state = model.stateDict();
    const before = Array.from(await model.norm.weight.value.data());
    state.delete('head.0.bias');
    state.set('extra.weight', tf.zeros([1]));
    state.get('norm.weight')!.dispose();
    state.set('norm.weight', tf.zeros([5]));
    let error: unknown;
    try {
      model.loadStateDict(state, { context: 'was it saved from another preset?' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(StateDictError);
    const problems = (error as StateDictError).problems;
    expect(problems.missing).toEqual(['head.0.bias']);
    expect(problems.unexpected).toEqual(['extra.weight']);
    expect(problems.mismatched).toEqual([{ name: 'norm.weight', expected: [2], found: [5] }]);
    expect((error as Error).message).toMatch(
      /missing 1 keys \(head\.0\.bias\).*unexpected.*extra\.weight.*norm\.weight: checkpoint \[5\], model \[2\].*another preset/,
    );
    expect(Array.from(await model.norm.weight.value.data())).toEqual(before);
    tf.dispose([...state.values()]);
    model.dispose();
  });

  it('loads what fits with strict: false and reports the rest', () => {
    const model = new Tiny();
    const state = model.stateDict();
    state.get('fixed')!.dispose();
    state.delete('fixed');
    const problems = model.loadStateDict(state, { strict: false });
    expect(problems.missing).toEqual(['fixed']);
    tf.dispose([...state.values()]);
    model.dispose();
  });

  it('frees every tensor on dispose', () => {
    const before = liveTensors();
    const model = new Tiny();
    const y = model.head.forward(tf.ones([5, 4]));
    expect(y.shape).toEqual([5, 2]);
    y.dispose();
    model.dispose();
    expect(liveTensors()).toBe(before + 1); // the tf.ones input above is the caller's
  });
});

describeEachBackend('Linear', () => {
  it("stores Wᵀ [in, out] for fast matmuls and shows PyTorch's [out, in] in state dicts", async () => {
    const linear = new Linear({ inFeatures: 5, outFeatures: 7 });
    expect(linear.weight.shape).toEqual([5, 7]);
    const state = linear.stateDict();
    expect(state.get('weight')!.shape).toEqual([7, 5]);
    // y = x Wᵀ + b with the PyTorch weight.
    const x = tf.randomNormal([3, 5], 0, 1, 'float32', 1);
    const expected = await tf.add(tf.matMul(x, state.get('weight')!, false, true), state.get('bias')!).data();
    const actual = await linear.forward(x).data();
    expect(Math.max(...actual.map((v, i) => Math.abs(v - expected[i])))).toBeLessThan(1e-6);
    tf.dispose([...state.values(), x]);
    linear.dispose();
  });

  it('differentiates through the fast dense product like matMul', async () => {
    const a = tf.randomNormal([4, 3], 0, 1, 'float32', 2);
    const b = tf.randomNormal([3, 2], 0, 1, 'float32', 3);
    const [ga, gb] = tf.grads((x: tf.Tensor, w: tf.Tensor) => tf.sum(tf.square(dense(x as tf.Tensor2D, w as tf.Tensor2D))))([a, b]);
    const [ea, eb] = tf.grads((x: tf.Tensor, w: tf.Tensor) => tf.sum(tf.square(tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D))))([a, b]);
    for (const [g, e] of [
      [ga, ea],
      [gb, eb],
    ]) {
      const [gv, ev] = [await g.data(), await e.data()];
      expect(Math.max(...gv.map((v, i) => Math.abs(v - ev[i])))).toBeLessThan(1e-5);
    }
  });
});
