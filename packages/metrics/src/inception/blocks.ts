import { tf, type Tensor } from '@pixelrepa/tensor';
import { Module, type RandomSource } from '@pixelrepa/nn';
import { BasicConv2d } from './basic-conv2d.js';
import { averagePool3x3ExcludingPadding, maxPool3x3Same, maxPool3x3Stride2 } from '@pixelrepa/nn';

// The mixed blocks of the 2015-12-05 TF Inception graph as torch-fidelity ports them. Child names
// are the checkpoint's; branch outputs are concatenated on the channel axis in PyTorch's order.
// Every block maps x: [B, H, W, C_in] → [B, H', W', C_out].

type Kernel = number | [number, number];

function conv(
  random: RandomSource | undefined,
  inChannels: number,
  outChannels: number,
  kernelSize: Kernel,
  options: { stride?: number; padding?: Kernel } = {},
): BasicConv2d {
  return new BasicConv2d({ inChannels, outChannels, kernelSize, random, ...options });
}

function concatChannels(branches: Tensor[]): Tensor {
  return tf.concat(branches, 3);
}

/** Mixed_5b/5c/5d: 1×1, 5×5, double 3×3 and an average-pool branch. → 224 + pool_features channels */
export class InceptionA extends Module {
  readonly branch1x1;
  readonly branch5x5_1;
  readonly branch5x5_2;
  readonly branch3x3dbl_1;
  readonly branch3x3dbl_2;
  readonly branch3x3dbl_3;
  readonly branch_pool;

  constructor(inChannels: number, poolFeatures: number, random?: RandomSource) {
    super();
    this.branch1x1 = this.addModule('branch1x1', conv(random, inChannels, 64, 1));
    this.branch5x5_1 = this.addModule('branch5x5_1', conv(random, inChannels, 48, 1));
    this.branch5x5_2 = this.addModule('branch5x5_2', conv(random, 48, 64, 5, { padding: 2 }));
    this.branch3x3dbl_1 = this.addModule('branch3x3dbl_1', conv(random, inChannels, 64, 1));
    this.branch3x3dbl_2 = this.addModule('branch3x3dbl_2', conv(random, 64, 96, 3, { padding: 1 }));
    this.branch3x3dbl_3 = this.addModule('branch3x3dbl_3', conv(random, 96, 96, 3, { padding: 1 }));
    this.branch_pool = this.addModule('branch_pool', conv(random, inChannels, poolFeatures, 1));
  }

  forward(x: Tensor): Tensor {
    return tf.tidy(() =>
      concatChannels([
        this.branch1x1.forward(x),
        this.branch5x5_2.forward(this.branch5x5_1.forward(x)),
        this.branch3x3dbl_3.forward(this.branch3x3dbl_2.forward(this.branch3x3dbl_1.forward(x))),
        this.branch_pool.forward(averagePool3x3ExcludingPadding(x)),
      ]),
    );
  }
}

/** Mixed_6a: grid reduction 35 → 17 with a max-pool branch. → 384 + 96 + C_in channels */
export class InceptionB extends Module {
  readonly branch3x3;
  readonly branch3x3dbl_1;
  readonly branch3x3dbl_2;
  readonly branch3x3dbl_3;

  constructor(inChannels: number, random?: RandomSource) {
    super();
    this.branch3x3 = this.addModule('branch3x3', conv(random, inChannels, 384, 3, { stride: 2 }));
    this.branch3x3dbl_1 = this.addModule('branch3x3dbl_1', conv(random, inChannels, 64, 1));
    this.branch3x3dbl_2 = this.addModule('branch3x3dbl_2', conv(random, 64, 96, 3, { padding: 1 }));
    this.branch3x3dbl_3 = this.addModule('branch3x3dbl_3', conv(random, 96, 96, 3, { stride: 2 }));
  }

  forward(x: Tensor): Tensor {
    return tf.tidy(() =>
      concatChannels([
        this.branch3x3.forward(x),
        this.branch3x3dbl_3.forward(this.branch3x3dbl_2.forward(this.branch3x3dbl_1.forward(x))),
        maxPool3x3Stride2(x),
      ]),
    );
  }
}

/** Mixed_6b..6e: factorised 7×7 branches and an average-pool branch. → 768 channels */
export class InceptionC extends Module {
  readonly branch1x1;
  readonly branch7x7_1;
  readonly branch7x7_2;
  readonly branch7x7_3;
  readonly branch7x7dbl_1;
  readonly branch7x7dbl_2;
  readonly branch7x7dbl_3;
  readonly branch7x7dbl_4;
  readonly branch7x7dbl_5;
  readonly branch_pool;

  constructor(inChannels: number, channels7x7: number, random?: RandomSource) {
    super();
    const c7 = channels7x7;
    this.branch1x1 = this.addModule('branch1x1', conv(random, inChannels, 192, 1));
    this.branch7x7_1 = this.addModule('branch7x7_1', conv(random, inChannels, c7, 1));
    this.branch7x7_2 = this.addModule('branch7x7_2', conv(random, c7, c7, [1, 7], { padding: [0, 3] }));
    this.branch7x7_3 = this.addModule('branch7x7_3', conv(random, c7, 192, [7, 1], { padding: [3, 0] }));
    this.branch7x7dbl_1 = this.addModule('branch7x7dbl_1', conv(random, inChannels, c7, 1));
    this.branch7x7dbl_2 = this.addModule('branch7x7dbl_2', conv(random, c7, c7, [7, 1], { padding: [3, 0] }));
    this.branch7x7dbl_3 = this.addModule('branch7x7dbl_3', conv(random, c7, c7, [1, 7], { padding: [0, 3] }));
    this.branch7x7dbl_4 = this.addModule('branch7x7dbl_4', conv(random, c7, c7, [7, 1], { padding: [3, 0] }));
    this.branch7x7dbl_5 = this.addModule('branch7x7dbl_5', conv(random, c7, 192, [1, 7], { padding: [0, 3] }));
    this.branch_pool = this.addModule('branch_pool', conv(random, inChannels, 192, 1));
  }

  forward(x: Tensor): Tensor {
    return tf.tidy(() => {
      const b7 = this.branch7x7_3.forward(this.branch7x7_2.forward(this.branch7x7_1.forward(x)));
      let dbl = this.branch7x7dbl_1.forward(x);
      for (const layer of [this.branch7x7dbl_2, this.branch7x7dbl_3, this.branch7x7dbl_4, this.branch7x7dbl_5]) dbl = layer.forward(dbl);
      return concatChannels([this.branch1x1.forward(x), b7, dbl, this.branch_pool.forward(averagePool3x3ExcludingPadding(x))]);
    });
  }
}

/** Mixed_7a: grid reduction 17 → 8 with a max-pool branch. → 320 + 192 + C_in channels */
export class InceptionD extends Module {
  readonly branch3x3_1;
  readonly branch3x3_2;
  readonly branch7x7x3_1;
  readonly branch7x7x3_2;
  readonly branch7x7x3_3;
  readonly branch7x7x3_4;

  constructor(inChannels: number, random?: RandomSource) {
    super();
    this.branch3x3_1 = this.addModule('branch3x3_1', conv(random, inChannels, 192, 1));
    this.branch3x3_2 = this.addModule('branch3x3_2', conv(random, 192, 320, 3, { stride: 2 }));
    this.branch7x7x3_1 = this.addModule('branch7x7x3_1', conv(random, inChannels, 192, 1));
    this.branch7x7x3_2 = this.addModule('branch7x7x3_2', conv(random, 192, 192, [1, 7], { padding: [0, 3] }));
    this.branch7x7x3_3 = this.addModule('branch7x7x3_3', conv(random, 192, 192, [7, 1], { padding: [3, 0] }));
    this.branch7x7x3_4 = this.addModule('branch7x7x3_4', conv(random, 192, 192, 3, { stride: 2 }));
  }

  forward(x: Tensor): Tensor {
    return tf.tidy(() => {
      let b7 = this.branch7x7x3_1.forward(x);
      for (const layer of [this.branch7x7x3_2, this.branch7x7x3_3, this.branch7x7x3_4]) b7 = layer.forward(b7);
      return concatChannels([this.branch3x3_2.forward(this.branch3x3_1.forward(x)), b7, maxPool3x3Stride2(x)]);
    });
  }
}

/**
 * Mixed_7b (`InceptionE_1`, average-pool branch without padded zeros) and Mixed_7c
 * (`InceptionE_2`, MAX-pool branch: the TF graph has a max pool there, unlike the paper).
 * → 2048 channels
 */
export class InceptionE extends Module {
  readonly branch1x1;
  readonly branch3x3_1;
  readonly branch3x3_2a;
  readonly branch3x3_2b;
  readonly branch3x3dbl_1;
  readonly branch3x3dbl_2;
  readonly branch3x3dbl_3a;
  readonly branch3x3dbl_3b;
  readonly branch_pool;

  constructor(
    inChannels: number,
    readonly pool: 'average' | 'max',
    random?: RandomSource,
  ) {
    super();
    this.branch1x1 = this.addModule('branch1x1', conv(random, inChannels, 320, 1));
    this.branch3x3_1 = this.addModule('branch3x3_1', conv(random, inChannels, 384, 1));
    this.branch3x3_2a = this.addModule('branch3x3_2a', conv(random, 384, 384, [1, 3], { padding: [0, 1] }));
    this.branch3x3_2b = this.addModule('branch3x3_2b', conv(random, 384, 384, [3, 1], { padding: [1, 0] }));
    this.branch3x3dbl_1 = this.addModule('branch3x3dbl_1', conv(random, inChannels, 448, 1));
    this.branch3x3dbl_2 = this.addModule('branch3x3dbl_2', conv(random, 448, 384, 3, { padding: 1 }));
    this.branch3x3dbl_3a = this.addModule('branch3x3dbl_3a', conv(random, 384, 384, [1, 3], { padding: [0, 1] }));
    this.branch3x3dbl_3b = this.addModule('branch3x3dbl_3b', conv(random, 384, 384, [3, 1], { padding: [1, 0] }));
    this.branch_pool = this.addModule('branch_pool', conv(random, inChannels, 192, 1));
  }

  forward(x: Tensor): Tensor {
    return tf.tidy(() => {
      const b3 = this.branch3x3_1.forward(x);
      const dbl = this.branch3x3dbl_2.forward(this.branch3x3dbl_1.forward(x));
      const pooled = this.pool === 'max' ? maxPool3x3Same(x) : averagePool3x3ExcludingPadding(x);
      return concatChannels([
        this.branch1x1.forward(x),
        this.branch3x3_2a.forward(b3),
        this.branch3x3_2b.forward(b3),
        this.branch3x3dbl_3a.forward(dbl),
        this.branch3x3dbl_3b.forward(dbl),
        this.branch_pool.forward(pooled),
      ]);
    });
  }
}
