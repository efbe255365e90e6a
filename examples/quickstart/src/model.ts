/**
 * The quickstart's JiT: 32 px images in 8×8 patches (a 4×4 token grid, the same as the small
 * encoder's, so the alignment needs no resampling), width 128, 6 blocks, 10 classes.
 */
export const quickstartModelOverrides = { inputSize: 32, patchSize: 8, numClasses: 10, hiddenSize: 128, numHeads: 4, depth: 6, bottleneckDim: 32, inContextLen: 4, inContextStart: 2 };
