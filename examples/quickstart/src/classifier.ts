// Training a SmallViT to classify a labelled dataset: the quickstart's alignment targets and the
// reproduction's independent judge are both made this way (different configs, seeds and splits).
import { tf, createRng } from '@pixelrepa/tensor';
import { valueAndGrads } from '@pixelrepa/nn';
import { SmallViT, type SmallViTConfig } from '@pixelrepa/encoders';
import { DataLoader, batchLabelsTensor, batchToFloatTensor, type SampleSource } from '@pixelrepa/data';
import { adamwInit, adamwUpdate, disposeAdamW, learningRate, weightDecayGroups } from '@pixelrepa/train';

export interface ClassifierTraining {
  config: SmallViTConfig;
  train: SampleSource;
  /** Scored after training (the accuracy that says the features carry class information). */
  heldOut?: SampleSource;
  steps: number;
  batchSize: number;
  /** Initial weights (`createRng(seed)`) and the data order (`1000 + seed`). */
  seed: number;
  /** Peak learning rate of the cosine schedule (warm-up: the first 100 steps). */
  lr?: number;
  log?: (line: string) => void;
}

/** Fraction of `source` that `model` labels correctly. */
export async function classifierAccuracy(model: SmallViT, source: SampleSource): Promise<number> {
  model.eval();
  let right = 0;
  for await (const batch of new DataLoader(source, { batchSize: 250 }).epoch(0)) {
    const images = batchToFloatTensor(batch);
    const predicted = tf.tidy(() => tf.argMax(model.classify(images), -1));
    const values = await predicted.data();
    batch.labels.forEach((label, i) => {
      right += values[i] === label ? 1 : 0;
    });
    tf.dispose([images, predicted]);
  }
  return right / source.length;
}

/**
 * Trains a SmallViT classifier with AdamW (weight decay 0.05, cosine schedule, horizontal flips),
 * logging every 50 steps; returns it in eval mode with its held-out accuracy.
 */
export async function trainClassifier({
  config,
  train,
  heldOut,
  steps,
  batchSize,
  seed,
  lr: peak = 2e-3,
  log = console.log,
}: ClassifierTraining): Promise<{ model: SmallViT; testAccuracy?: number }> {
  const [initRng] = createRng(seed).split(1);
  const model = new SmallViT(config, { random: initRng });
  model.train();
  const parameters = weightDecayGroups(model.namedParameters(), 0.05);
  const optimizer = adamwInit(parameters);
  const loader = new DataLoader(train, { batchSize, seed: 1000 + seed, shuffle: true, flip: true, dropLast: true });
  const named = parameters.map(({ name, parameter }) => [name, parameter] as [string, typeof parameter]);
  let step = 0;
  let correct = 0;
  let seen = 0;
  for (let epoch = 0; step < steps; epoch++) {
    for await (const batch of loader.epoch(epoch)) {
      const images = batchToFloatTensor(batch);
      const labels = batchLabelsTensor(batch);
      const lr = learningRate(step / 100, { lr: peak, warmupEpochs: 1, epochs: steps / 100, schedule: 'cosine', minLr: 1e-5 });
      let logits: tf.Tensor | undefined;
      const { value, grads } = valueAndGrads(() => {
        const out = model.classify(images);
        logits = tf.keep(out);
        return tf.losses.softmaxCrossEntropy(tf.oneHot(labels, config.numClasses), out);
      }, named);
      adamwUpdate(optimizer, parameters, grads, lr);
      const predicted = await tf.argMax(logits!, -1).data();
      batch.labels.forEach((label, i) => {
        correct += predicted[i] === label ? 1 : 0;
      });
      seen += batch.labels.length;
      step++;
      if (step % 50 === 0 || step === steps) {
        log(
          `step ${step}/${steps}  loss ${(await value.data())[0].toFixed(4)}  train accuracy ${((100 * correct) / seen).toFixed(1)}%  lr ${lr.toExponential(2)}`,
        );
        correct = 0;
        seen = 0;
      }
      tf.dispose([images, labels, value, logits!, ...grads.values()]);
      if (step >= steps) break;
    }
  }
  disposeAdamW(optimizer);
  const testAccuracy = heldOut ? await classifierAccuracy(model, heldOut) : undefined;
  model.eval();
  return { model, testAccuracy };
}
