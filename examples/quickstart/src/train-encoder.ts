// Reproduces assets/procedural-encoder.safetensors: a SmallViT trained to classify the procedural
// dataset, whose patch tokens are the quickstart's alignment target.
//   npm run -w @pixelrepa/example-quickstart train-encoder [-- --steps 600 --out assets/procedural-encoder.safetensors]
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { tf, initBackend, createRng } from '@pixelrepa/tensor';
import { valueAndGrads, rawStateDict } from '@pixelrepa/nn';
import { writeSafetensorsFile } from '@pixelrepa/io/node';
import { SmallViT, smallViTProcedural } from '@pixelrepa/encoders';
import { DataLoader, batchLabelsTensor, batchToFloatTensor, proceduralDataset } from '@pixelrepa/data';
import { adamwInit, adamwUpdate, learningRate, weightDecayGroups } from '@pixelrepa/train';

const { values } = parseArgs({
  options: {
    steps: { type: 'string', default: '600' },
    batch: { type: 'string', default: '64' },
    seed: { type: 'string', default: '0' },
    out: { type: 'string', default: new URL('../assets/procedural-encoder.safetensors', import.meta.url).pathname },
    backend: { type: 'string', default: 'wasm' },
  },
});
const steps = Number(values.steps);
const batchSize = Number(values.batch);
const info = await initBackend(values.backend as 'wasm' | 'cpu');
console.log(`backend ${info.name}${info.threads ? ` (${info.threads} threads)` : ''}`);

const [initRng] = createRng(Number(values.seed)).split(1);
const model = new SmallViT(smallViTProcedural, { random: initRng });
model.train();
const parameters = weightDecayGroups(model.namedParameters(), 0.05);
const optimizer = adamwInit(parameters);
// Its own seed for the data (the quickstart trains JiT on other seeds).
const data = new DataLoader(proceduralDataset({ imageSize: smallViTProcedural.imgSize, numClasses: smallViTProcedural.numClasses, seed: 1000, length: 20_000 }), { batchSize, seed: 1000, shuffle: true, flip: true, dropLast: true });

let step = 0;
let correct = 0;
let seen = 0;
for (let epoch = 0; step < steps; epoch++) {
  for await (const batch of data.epoch(epoch)) {
    const images = batchToFloatTensor(batch);
    const labels = batchLabelsTensor(batch);
    const lr = learningRate(step / 100, { lr: 2e-3, warmupEpochs: 1, epochs: steps / 100, schedule: 'cosine', minLr: 1e-5 });
    let logits: tf.Tensor | undefined;
    const named = parameters.map(({ name, parameter }) => [name, parameter] as [string, typeof parameter]);
    const { value, grads } = valueAndGrads(() => {
      const out = model.classify(images);
      logits = tf.keep(out);
      return tf.losses.softmaxCrossEntropy(tf.oneHot(labels, smallViTProcedural.numClasses), out);
    }, named);
    adamwUpdate(optimizer, parameters, grads, lr);
    const predicted = await tf.argMax(logits!, -1).data();
    batch.labels.forEach((label, i) => { correct += predicted[i] === label ? 1 : 0; });
    seen += batch.labels.length;
    step++;
    if (step % 25 === 0 || step === steps) {
      console.log(`step ${step}/${steps}  loss ${(await value.data())[0].toFixed(4)}  accuracy ${(100 * correct / seen).toFixed(1)}%  lr ${lr.toExponential(2)}`);
      correct = 0;
      seen = 0;
    }
    tf.dispose([images, labels, value, logits!, ...grads.values()]);
    if (step >= steps) break;
  }
}
const state = model.stateDict();
const out = resolve(values.out!);
writeSafetensorsFile(out, await rawStateDict(state), { pixelrepa: JSON.stringify({ model: 'SmallViT', config: smallViTProcedural, steps, seed: Number(values.seed) }) });
tf.dispose([...state.values()]);
console.log(`wrote ${out}`);
