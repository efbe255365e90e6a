// Reproduces the quickstart's encoders: a SmallViT trained to classify the dataset, whose patch
// tokens are the quickstart's alignment target.
//   npm run -w @pixelrepa/example-quickstart train-encoder                       (Fashion-MNIST train split, Debian's files)
//   npm run -w @pixelrepa/example-quickstart train-encoder -- --data procedural
//   … -- --data fashion-mnist --data_path <folder> --steps 1000 --out my-encoder.safetensors
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { tf, initBackend, createRng } from '@pixelrepa/tensor';
import { valueAndGrads, rawStateDict } from '@pixelrepa/nn';
import { writeSafetensorsFile } from '@pixelrepa/io/node';
import { SmallViT } from '@pixelrepa/encoders';
import { DataLoader, batchLabelsTensor, batchToFloatTensor, type SampleSource } from '@pixelrepa/data';
import { adamwInit, adamwUpdate, learningRate, weightDecayGroups } from '@pixelrepa/train';
import { debianFashionMnistRoot } from '@pixelrepa/data/node';
import { encoderFiles, openQuickstartData, quickstartDataNames, smallEncoderConfig, type QuickstartData } from './datasets.js';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: 'fashion-mnist' },
    data_path: { type: 'string' },
    steps: { type: 'string', default: '500' },
    batch: { type: 'string', default: '64' },
    seed: { type: 'string', default: '0' },
    out: { type: 'string' },
    backend: { type: 'string', default: 'wasm' },
  },
});
const data = values.data as QuickstartData;
if (!quickstartDataNames.includes(data)) throw new Error(`--data ${values.data}: expected one of ${quickstartDataNames.join(', ')}`);
const steps = Number(values.steps);
const batchSize = Number(values.batch);
const seed = Number(values.seed);
const config = smallEncoderConfig;
const info = await initBackend(values.backend as 'wasm' | 'cpu');
console.log(`backend ${info.name}${info.threads ? ` (${info.threads} threads)` : ''}`);

// Fashion-MNIST: the official train split (the quickstart trains JiT on the test split);
// procedural: its own seed (the quickstart draws other seeds).
const train = openQuickstartData(data, { split: 'train', root: values.data_path ?? debianFashionMnistRoot, seed: 1000, length: 20_000 });
const heldOut: SampleSource | undefined = data === 'fashion-mnist' ? openQuickstartData(data, { split: 'test', root: values.data_path ?? debianFashionMnistRoot }).source : undefined;
console.log(`training on ${train.description}`);

const [initRng] = createRng(seed).split(1);
const model = new SmallViT(config, { random: initRng });
model.train();
const parameters = weightDecayGroups(model.namedParameters(), 0.05);
const optimizer = adamwInit(parameters);
const loader = new DataLoader(train.source, { batchSize, seed: 1000 + seed, shuffle: true, flip: true, dropLast: true });

let step = 0;
let correct = 0;
let seen = 0;
for (let epoch = 0; step < steps; epoch++) {
  for await (const batch of loader.epoch(epoch)) {
    const images = batchToFloatTensor(batch);
    const labels = batchLabelsTensor(batch);
    const lr = learningRate(step / 100, { lr: 2e-3, warmupEpochs: 1, epochs: steps / 100, schedule: 'cosine', minLr: 1e-5 });
    let logits: tf.Tensor | undefined;
    const named = parameters.map(({ name, parameter }) => [name, parameter] as [string, typeof parameter]);
    const { value, grads } = valueAndGrads(() => {
      const out = model.classify(images);
      logits = tf.keep(out);
      return tf.losses.softmaxCrossEntropy(tf.oneHot(labels, config.numClasses), out);
    }, named);
    adamwUpdate(optimizer, parameters, grads, lr);
    const predicted = await tf.argMax(logits!, -1).data();
    batch.labels.forEach((label, i) => { correct += predicted[i] === label ? 1 : 0; });
    seen += batch.labels.length;
    step++;
    if (step % 50 === 0 || step === steps) {
      console.log(`step ${step}/${steps}  loss ${(await value.data())[0].toFixed(4)}  train accuracy ${(100 * correct / seen).toFixed(1)}%  lr ${lr.toExponential(2)}`);
      correct = 0;
      seen = 0;
    }
    tf.dispose([images, labels, value, logits!, ...grads.values()]);
    if (step >= steps) break;
  }
}

// Accuracy on the official test split: the figure that says the tokens carry class information.
let testAccuracy: number | undefined;
if (heldOut) {
  model.eval();
  let right = 0;
  for await (const batch of new DataLoader(heldOut, { batchSize: 250 }).epoch(0)) {
    const images = batchToFloatTensor(batch);
    const predicted = tf.tidy(() => tf.argMax(model.classify(images), -1));
    const values = await predicted.data();
    batch.labels.forEach((label, i) => { right += values[i] === label ? 1 : 0; });
    tf.dispose([images, predicted]);
  }
  testAccuracy = right / heldOut.length;
  console.log(`test accuracy ${(100 * testAccuracy).toFixed(2)}% (${heldOut.length} images)`);
}

const state = model.stateDict();
const out = resolve(process.env.INIT_CWD ?? process.cwd(), values.out ?? encoderFiles[data]);
const metadata = { model: 'SmallViT', config, steps, batchSize, seed, data: train.description, ...(testAccuracy === undefined ? {} : { testAccuracy }) };
writeSafetensorsFile(out, await rawStateDict(state), { pixelrepa: JSON.stringify(metadata) });
tf.dispose([...state.values()]);
console.log(`wrote ${out}`);
