import { dense, tf, type Tensor } from '@pixelrepa/tensor';
import { Linear, Module, tfRandomSource, type LoadStateDictOptions, type RandomSource, type StateDictProblems } from '@pixelrepa/nn';
import { BasicConv2d } from './basic-conv2d.js';
import { InceptionA, InceptionB, InceptionC, InceptionD, InceptionE } from './blocks.js';
import { globalAveragePool, maxPool3x3Stride2 } from '@pixelrepa/nn';
import { resizeBilinearTf1 } from './resize-tf1.js';

/** The outputs the network provides (torch-fidelity's names). */
export const INCEPTION_FEATURES = ['64', '192', '768', '2048', 'logits_unbiased', 'logits'] as const;
export type InceptionFeature = (typeof INCEPTION_FEATURES)[number];

/** Width of each output. */
export const INCEPTION_FEATURE_SIZES: Record<InceptionFeature, number> = {
  '64': 64,
  '192': 192,
  '768': 768,
  '2048': 2048,
  logits_unbiased: 1008,
  logits: 1008,
};

/** The network's input side: images are resized to 299×299 before the first conv. */
export const INCEPTION_INPUT_SIZE = 299;

export interface InceptionForwardOptions {
  /** Which outputs to return (default `['2048']`). The pass stops after the last one needed. */
  features?: readonly InceptionFeature[];
  /** Called with `'resized'` (the 299×299 float image, [B, 299, 299, 3] in [0, 255]) for debugging. */
  record?: (name: 'resized', value: Tensor) => void;
}

/** Anything that maps uint8 images to Inception features: the network, or a stand-in in tests. */
export interface InceptionFeatureExtractor {
  /** images: [B, H, W, 3] → { [feature]: [B, size] } (caller owns the outputs) */
  forward(images: Tensor, options?: InceptionForwardOptions): Partial<Record<InceptionFeature, Tensor>>;
}

/**
 * The FID Inception network (the 2015-12-05 TF graph as torch-fidelity's
 * `FeatureExtractorInceptionV3` / `inception-v3-compat` ports it), with its state-dict names:
 * `Conv2d_1a_3x3.conv.weight`, `Mixed_7c.branch_pool.bn.running_var`, `fc.weight` [1008, 2048], ….
 *
 * Built with random weights (He-normal convs, identity batch norms); load the real ones with
 * `loadFidInceptionV3` or `loadStateDict`.
 *
 * @example
 * const net = await loadFidInceptionV3({ bytes });
 * const { '2048': pool, logits_unbiased } = net.forward(uint8Images, { features: ['2048', 'logits_unbiased'] });
 */
export class FidInceptionV3 extends Module implements InceptionFeatureExtractor {
  readonly Conv2d_1a_3x3;
  readonly Conv2d_2a_3x3;
  readonly Conv2d_2b_3x3;
  readonly Conv2d_3b_1x1;
  readonly Conv2d_4a_3x3;
  readonly Mixed_5b;
  readonly Mixed_5c;
  readonly Mixed_5d;
  readonly Mixed_6a;
  readonly Mixed_6b;
  readonly Mixed_6c;
  readonly Mixed_6d;
  readonly Mixed_6e;
  readonly Mixed_7a;
  readonly Mixed_7b;
  readonly Mixed_7c;
  readonly fc: Linear;

  constructor({ random = tfRandomSource }: { random?: RandomSource } = {}) {
    super();
    const conv = (name: string, inChannels: number, outChannels: number, kernelSize: number, options: { stride?: number; padding?: number } = {}) =>
      this.addModule(name, new BasicConv2d({ inChannels, outChannels, kernelSize, random, ...options }));
    this.Conv2d_1a_3x3 = conv('Conv2d_1a_3x3', 3, 32, 3, { stride: 2 });
    this.Conv2d_2a_3x3 = conv('Conv2d_2a_3x3', 32, 32, 3);
    this.Conv2d_2b_3x3 = conv('Conv2d_2b_3x3', 32, 64, 3, { padding: 1 });
    this.Conv2d_3b_1x1 = conv('Conv2d_3b_1x1', 64, 80, 1);
    this.Conv2d_4a_3x3 = conv('Conv2d_4a_3x3', 80, 192, 3);
    this.Mixed_5b = this.addModule('Mixed_5b', new InceptionA(192, 32, random));
    this.Mixed_5c = this.addModule('Mixed_5c', new InceptionA(256, 64, random));
    this.Mixed_5d = this.addModule('Mixed_5d', new InceptionA(288, 64, random));
    this.Mixed_6a = this.addModule('Mixed_6a', new InceptionB(288, random));
    this.Mixed_6b = this.addModule('Mixed_6b', new InceptionC(768, 128, random));
    this.Mixed_6c = this.addModule('Mixed_6c', new InceptionC(768, 160, random));
    this.Mixed_6d = this.addModule('Mixed_6d', new InceptionC(768, 160, random));
    this.Mixed_6e = this.addModule('Mixed_6e', new InceptionC(768, 192, random));
    this.Mixed_7a = this.addModule('Mixed_7a', new InceptionD(768, random));
    this.Mixed_7b = this.addModule('Mixed_7b', new InceptionE(1280, 'average', random));
    this.Mixed_7c = this.addModule('Mixed_7c', new InceptionE(2048, 'max', random));
    this.fc = this.addModule('fc', new Linear({ inFeatures: 2048, outFeatures: 1008, random }));
  }

  /**
   * Loads a torch-fidelity state dict. `*.num_batches_tracked` buffers (unused in eval mode) are
   * ignored, so the original `.pth` loads as it is.
   */
  override loadStateDict(state: Map<string, Tensor>, options: LoadStateDictOptions = {}): StateDictProblems {
    const kept = new Map([...state].filter(([name]) => !name.endsWith('.num_batches_tracked')));
    return super.loadStateDict(kept, { context: "expected torch-fidelity's FID Inception (weights-inception-2015-12-05-6726825d.pth)", ...options });
  }

  /**
   * The torch-fidelity preprocessing and network. Images are uint8 (or float in [0, 255]) RGB of
   * any size; they are resized TF1-style to 299×299 and mapped to `(x − 128) / 128`.
   * The caller owns the returned tensors.
   *
   * images: [B, H, W, 3] → { [feature]: [B, size] } float32
   */
  forward(images: Tensor, { features = ['2048'], record }: InceptionForwardOptions = {}): Partial<Record<InceptionFeature, Tensor>> {
    if (images.rank !== 4 || images.shape[3] !== 3) {
      throw new Error(`FID Inception expects RGB images [B, H, W, 3] (uint8 NHWC), got shape [${images.shape.join(', ')}]`);
    }
    for (const name of features) {
      if (!INCEPTION_FEATURES.includes(name)) throw new Error(`unknown Inception feature "${name}": choose from ${INCEPTION_FEATURES.join(', ')}`);
    }
    const wanted = new Set<InceptionFeature>(features);
    const out: Partial<Record<InceptionFeature, Tensor>> = {};
    const keep = (name: InceptionFeature, value: () => Tensor) => {
      if (wanted.has(name)) out[name] = tf.keep(value());
      wanted.delete(name);
      return wanted.size === 0;
    };
    tf.tidy(() => {
      // Each stage's input is freed as soon as the next exists, so a batch holds about two
      // stages' activations at a time rather than the whole pass.
      let x: Tensor = resizeBilinearTf1(images, [INCEPTION_INPUT_SIZE, INCEPTION_INPUT_SIZE]);
      record?.('resized', x);
      const advance = (next: Tensor) => {
        if (!Object.values(out).includes(x)) x.dispose();
        x = next;
      };
      advance(tf.div(tf.sub(x, 128), 128));
      for (const layer of [this.Conv2d_1a_3x3, this.Conv2d_2a_3x3, this.Conv2d_2b_3x3]) advance(layer.forward(x));
      advance(maxPool3x3Stride2(x)); // [B, 73, 73, 64]
      if (keep('64', () => globalAveragePool(x))) return;
      advance(this.Conv2d_3b_1x1.forward(x));
      advance(this.Conv2d_4a_3x3.forward(x));
      advance(maxPool3x3Stride2(x)); // [B, 35, 35, 192]
      if (keep('192', () => globalAveragePool(x))) return;
      for (const block of [this.Mixed_5b, this.Mixed_5c, this.Mixed_5d, this.Mixed_6a, this.Mixed_6b, this.Mixed_6c, this.Mixed_6d, this.Mixed_6e]) {
        advance(block.forward(x));
      } // [B, 17, 17, 768]
      if (keep('768', () => globalAveragePool(x))) return;
      for (const block of [this.Mixed_7a, this.Mixed_7b, this.Mixed_7c]) advance(block.forward(x)); // [B, 8, 8, 2048]
      advance(globalAveragePool(x)); // [B, 2048]
      if (keep('2048', () => x)) return;
      // 'logits_unbiased' is the fc WITHOUT its bias (what the IS uses); 'logits' adds it.
      const unbiased = dense(x as tf.Tensor2D, this.fc.weight.value as tf.Tensor2D); // [B, 1008] (weight kept as [in, out])
      if (keep('logits_unbiased', () => unbiased)) return;
      keep('logits', () => tf.add(unbiased, this.fc.bias!.value));
    });
    return out;
  }
}
