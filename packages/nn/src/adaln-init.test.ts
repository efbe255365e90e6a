import { beforeAll, describe, expect, it } from 'vitest';
import { createRng, initBackend } from '@pixelrepa/tensor';
import { initializeAdaLN, namedModules } from './adaln-init.js';
import { Linear } from './linear.js';
import { Module } from './module.js';
import { ModuleList } from './module-list.js';
import { Sequential } from './sequential.js';
import { SiLU } from './activations.js';

class Block extends Module {
  readonly adaLN_modulation = this.addModule('adaLN_modulation', new Sequential(SiLU(), new Linear({ inFeatures: 4, outFeatures: 8 })));
  readonly proj = this.addModule('proj', new Linear({ inFeatures: 4, outFeatures: 4 }));
}

class Tiny extends Module {
  readonly head = this.addModule('head', new Linear({ inFeatures: 4, outFeatures: 2 }));
  readonly blocks = this.addModule('blocks', new ModuleList([new Block(), new Block()]));
}

const values = async (linear: Linear) => [...(await linear.weight.value.data()), ...(linear.bias ? await linear.bias.value.data() : [])];

describe('initializeAdaLN', () => {
  beforeAll(() => initBackend('cpu'));

  it('addresses modules by PyTorch name: xavier everywhere, N(0, 0.02) where named, zero where matched (* = a block index)', async () => {
    const model = new Tiny();
    expect(namedModules(model).map(([name]) => name)).toEqual([
      '',
      'head',
      'blocks',
      'blocks.0',
      'blocks.0.adaLN_modulation',
      'blocks.0.adaLN_modulation.0',
      'blocks.0.adaLN_modulation.1',
      'blocks.0.proj',
      'blocks.1',
      'blocks.1.adaLN_modulation',
      'blocks.1.adaLN_modulation.0',
      'blocks.1.adaLN_modulation.1',
      'blocks.1.proj',
    ]);
    initializeAdaLN(model, createRng(0), { normal: ['head'], zero: ['blocks.*.adaLN_modulation.1'] });
    for (const block of model.blocks.items) {
      expect((await values(block.adaLN_modulation.layers[1] as Linear)).every((v) => v === 0)).toBe(true);
      const proj = await block.proj.weight.value.data();
      expect(proj.some((v) => v !== 0)).toBe(true);
      expect(Math.max(...proj.map(Math.abs))).toBeLessThanOrEqual(Math.sqrt(6 / 8)); // xavier-uniform bound
      expect([...(await block.proj.bias!.value.data())].every((v) => v === 0)).toBe(true);
    }
    const head = await model.head.weight.value.data();
    expect(Math.max(...head.map(Math.abs))).toBeLessThan(0.1); // N(0, 0.02), not xavier's ±0.9
    model.dispose();
  });

  it('the same seed gives the same weights; a name that is not there is an error', async () => {
    const [a, b] = [new Tiny(), new Tiny()];
    initializeAdaLN(a, createRng(3), { normal: ['head'], zero: [] });
    initializeAdaLN(b, createRng(3), { normal: ['head'], zero: [] });
    expect(await values(a.head)).toEqual(await values(b.head));
    expect(() => initializeAdaLN(a, createRng(0), { normal: ['y_embedder'], zero: [] })).toThrow(/has no module "y_embedder"/);
    expect(() => initializeAdaLN(a, createRng(0), { normal: [], zero: ['final_layer.*'] })).toThrow(/no module matching "final_layer\.\*"/);
    a.dispose();
    b.dispose();
  });
});
