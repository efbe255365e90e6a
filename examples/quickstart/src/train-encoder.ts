// Reproduces the quickstart's encoders: a SmallViT trained to classify the dataset, whose patch
// tokens are the quickstart's alignment target.
//   npm run -w @pixelrepa/example-quickstart train-encoder                       (Fashion-MNIST train split, Debian's files)
//   npm run -w @pixelrepa/example-quickstart train-encoder -- --data procedural
//   … -- --data fashion-mnist --data_path <folder> --steps 1000 --out my-encoder.safetensors
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { tf, initBackend } from '@pixelrepa/tensor';
import { rawStateDict } from '@pixelrepa/nn';
import { writeSafetensorsFile } from '@pixelrepa/io/node';
import type { SampleSource } from '@pixelrepa/data';
import { debianFashionMnistRoot } from '@pixelrepa/data/node';
import { encoderFiles, openQuickstartData, quickstartDataNames, smallEncoderConfig, type QuickstartData } from './datasets.js';
import { trainClassifier } from './classifier.js';

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
const heldOut: SampleSource | undefined =
  data === 'fashion-mnist' ? openQuickstartData(data, { split: 'test', root: values.data_path ?? debianFashionMnistRoot }).source : undefined;
console.log(`training on ${train.description}`);

const { model, testAccuracy } = await trainClassifier({ config, train: train.source, heldOut, steps, batchSize, seed });
if (testAccuracy !== undefined) console.log(`test accuracy ${(100 * testAccuracy).toFixed(2)}% (${heldOut!.length} images)`);

const state = model.stateDict();
const out = resolve(process.env.INIT_CWD ?? process.cwd(), values.out ?? encoderFiles[data]);
const metadata = { model: 'SmallViT', config, steps, batchSize, seed, data: train.description, ...(testAccuracy === undefined ? {} : { testAccuracy }) };
writeSafetensorsFile(out, await rawStateDict(state), { pixelrepa: JSON.stringify(metadata) });
tf.dispose([...state.values()]);
model.dispose();
console.log(`wrote ${out}`);
