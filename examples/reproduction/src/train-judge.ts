// Trains the reproduction's judge: a SmallViT classifier on Fashion-MNIST's train split, scored on
// the test split, independent of the alignment target (other seed, 4×4 patches, other width).
//   npm run -w @pixelrepa/example-reproduction train-judge [-- --data_path <folder> --out <file>]
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { tf, initBackend } from '@pixelrepa/tensor';
import { rawStateDict } from '@pixelrepa/nn';
import { writeSafetensorsFile } from '@pixelrepa/io/node';
import { debianFashionMnistRoot, openFashionMnist } from '@pixelrepa/data/node';
import { trainClassifier } from '../../quickstart/src/classifier.js';
import { judgeConfig, judgeFile, judgeTraining, repositoryPath } from './protocol.js';

const { values } = parseArgs({
  options: {
    data_path: { type: 'string', default: debianFashionMnistRoot },
    steps: { type: 'string', default: String(judgeTraining.steps) },
    out: { type: 'string' },
    backend: { type: 'string', default: 'wasm' },
  },
});
const info = await initBackend(values.backend as 'wasm' | 'cpu');
console.log(`backend ${info.name}${info.threads ? ` (${info.threads} threads)` : ''}`);
const hint = 'or pass --data_path <folder with the official files>';
const train = openFashionMnist({ root: values.data_path!, split: 'train', hint });
const test = openFashionMnist({ root: values.data_path!, split: 'test', hint });
const steps = Number(values.steps);
const started = performance.now();
const { model, testAccuracy } = await trainClassifier({
  config: judgeConfig,
  train,
  heldOut: test,
  steps,
  batchSize: judgeTraining.batchSize,
  seed: judgeTraining.seed,
  lr: judgeTraining.lr,
});
console.log(`test accuracy ${(100 * testAccuracy!).toFixed(2)}% (${test.length} images), ${((performance.now() - started) / 1000).toFixed(0)} s`);
const state = model.stateDict();
const out = values.out ? resolve(process.env.INIT_CWD ?? process.cwd(), values.out) : repositoryPath(judgeFile);
const metadata = {
  model: 'SmallViT',
  role: 'judge',
  config: judgeConfig,
  ...judgeTraining,
  steps,
  data: `Fashion-MNIST, official train split (${train.length} images), padded 28 → 32 px`,
  testAccuracy,
};
writeSafetensorsFile(out, await rawStateDict(state), { pixelrepa: JSON.stringify(metadata) });
tf.dispose([...state.values()]);
model.dispose();
console.log(`wrote ${out}`);
