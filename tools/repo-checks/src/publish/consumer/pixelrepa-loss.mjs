// A user's script: a tiny JiT with a PixelREPA objective from the installed packages, one loss
// with gradients on the cpu backend. Prints what the test checks as JSON.
import { initBackend, tf } from '@pixelrepa/tensor';
import { valueAndGrads, tfRandomSource } from '@pixelrepa/nn';
import { JiT, jitConfig } from '@pixelrepa/jit';
import { createObjective } from '@pixelrepa/align';

await initBackend('cpu');
const config = jitConfig('JiT-Tiny/4', { depth: 2, inContextStart: 1, hiddenSize: 32, numHeads: 2, bottleneckDim: 8 });
const jit = new JiT(config);
const targetWidth = 24;
const objective = createObjective('pixelrepa', {
  adapter: 'MTA-B/16',
  adapterOverrides: {
    inputSize: config.inputSize,
    patchSize: config.patchSize,
    hiddenSize: config.hiddenSize,
    numHeads: config.numHeads,
    inContextLen: config.inContextLen,
    numClasses: config.numClasses,
    outChannels: targetWidth,
  },
  maskToken: jit.mask_token,
});

const B = 2;
const tokens = (config.inputSize / config.patchSize) ** 2;
const x = tf.randomUniform([B, config.inputSize, config.inputSize, 3], -1, 1);
const noise = tf.randomNormal(x.shape);
const t = tf.randomUniform([B], 0.1, 0.9);
const y = tf.tensor1d([1, 7], 'int32');
const target = tf.randomNormal([B, tokens, targetWidth]);
const before = tf.memory().numTensors;

const parameters = [...jit.trainableParameters(), ...objective.trainableParameters()];
const parts = {};
const { value, grads } = valueAndGrads(() => {
  const tb = tf.reshape(t, [B, 1, 1, 1]);
  const z = tf.add(tf.mul(tb, x), tf.mul(tf.sub(1, tb), noise));
  const h = jit.forwardEncoder(z, t, y);
  const xPred = jit.forwardDecoder(h, t, y);
  const d = tf.maximum(tf.sub(1, tb), 0.05);
  const diffusion = tf.mean(tf.square(tf.div(tf.sub(x, xPred), d)));
  const align = objective.compute({ tokens: h, target, t, y, random: tfRandomSource }).loss;
  parts.diffusion = diffusion.dataSync()[0];
  parts.align = align.dataSync()[0];
  return tf.add(diffusion, tf.mul(objective.weight, align));
}, parameters);

const norms = Object.fromEntries([...grads].map(([name, grad]) => [name, tf.tidy(() => tf.norm(grad).dataSync()[0])]));
const result = {
  backend: tf.getBackend(),
  loss: value.dataSync()[0],
  ...parts,
  weight: objective.weight,
  parameters: parameters.length,
  gradients: grads.size,
  finite: Object.values(norms).every(Number.isFinite),
  nonZero: Object.values(norms).filter((n) => n > 0).length,
  maskTokenGradient: norms[parameters.find(([, p]) => p === jit.mask_token)[0]],
  adapterGradient: Object.entries(norms)
    .filter(([name]) => name.startsWith('masked_transformer_adapter.'))
    .reduce((sum, [, n]) => sum + n, 0),
};
tf.dispose([value, ...grads.values()]);
result.leaked = tf.memory().numTensors - before;
console.log(JSON.stringify(result));
