import { expect, it } from 'vitest';
import { tf } from '@pixelrepa/tensor';
import { describeEachBackend, liveTensors } from '@pixelrepa/tensor/testing';
import { Linear } from '@pixelrepa/nn';
import { Ema } from './ema.js';
import { adamwInit, adamwUpdate, disposeAdamW, weightDecayGroups } from './adamw.js';

// On wasm, AdamW and both EMAs run as fused in-place passes (their bits are checked against the
// host update by placement.test.ts and against float32-rounded references in @pixelrepa/tensor);
// here: that the trainer's updates take that path, and only on wasm.
describeEachBackend('AdamW and EMA updates', (backend) => {
  it(`${backend === 'wasm' ? 'update moments and EMAs in place' : 'assign new moments and EMAs'}, leaving no tensors behind`, () => {
    const layer = new Linear({ inFeatures: 12, outFeatures: 8 });
    const parameters = weightDecayGroups(layer.namedParameters(), 0.05);
    const optimizer = adamwInit(parameters);
    const emas = [new Ema(layer, 0.9), new Ema(layer, 0.8)];
    const moments = () => [...optimizer.expAvg.values(), ...optimizer.expAvgSq.values()].map((m) => (m as tf.Variable).dataId);
    const averages = () => emas.map((ema) => (ema as unknown as { device: tf.Variable }).device.dataId);
    const [m0, e0] = [moments(), averages()];
    const live = liveTensors();
    for (let step = 0; step < 2; step++) {
      const grads = new Map(parameters.map(({ name, parameter }) => [name, tf.randomNormal(parameter.shape, 0, 1, 'float32', step)]));
      adamwUpdate(optimizer, parameters, grads, 1e-3);
      Ema.updateAll(emas);
      tf.dispose([...grads.values()]);
    }
    expect(liveTensors()).toBe(live);
    const inPlace = backend === 'wasm';
    moments().forEach((id, i) => expect(id === m0[i]).toBe(inPlace));
    averages().forEach((id, i) => expect(id === e0[i]).toBe(inPlace));
    disposeAdamW(optimizer);
    for (const ema of emas) ema.dispose();
  });
});
