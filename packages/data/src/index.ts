// @pixelrepa/data — datasets as async iterables. This entry is browser-safe (no Node modules);
// decoding files with sharp, image folders on disk, worker threads and packed caches are in
// '@pixelrepa/data/node'.
export { type RgbImage, createRgbImage, assertRgbImage, cropRgbImage } from './image.js';
export { admCenterCrop, roundHalfToEven, type AdmCenterCropOptions, type ResizeStage } from './center-crop.js';
export { resizeLikePil, type ResampleName } from './resample/resize.js';
export { fixedPointTaps, precisionBits, type FixedPointTaps } from './resample/coefficients.js';
export { boxFilter, bicubicFilter, type ResampleFilter } from './resample/filters.js';
export { convertToRgb, type DecodedPixels } from './convert-to-rgb.js';
export { flipHorizontal } from './flip.js';
export { compareCodePoints, sortClassNames } from './class-order.js';
export { createRandom, hashSeed, permutation, type Random } from './random.js';
export { type Sample, type SampleSource, type SkipReason, SampleSkipError, DataIntegrityError } from './loader/sample-source.js';
export { SkipReport, formatSkipSummary, type SkipSummary } from './loader/skip-report.js';
export { epochOrder, flipsInEpoch, type EpochOrderOptions } from './loader/epoch-order.js';
export { BoundedQueue } from './loader/bounded-queue.js';
export { packBatch, type Uint8Batch } from './loader/batch.js';
export { DataLoader, type DataLoaderOptions, type EpochBatches } from './loader/data-loader.js';
export { iterateSamples, type IterateSamplesOptions } from './loader/iterate-samples.js';
export { batchToUint8Tensor, batchToFloatTensor, batchLabelsTensor } from './batch-tensors.js';
export {
  ProceduralDataset,
  proceduralDataset,
  renderProceduralImage,
  classStyle,
  type ProceduralDatasetOptions,
  type ClassStyle,
} from './procedural/procedural-dataset.js';
export { shapeNames, type ShapeName } from './procedural/shapes.js';
export { textureNames, type TextureName } from './procedural/textures.js';
export { BrowserImages, browserImageFolder, type BrowserImageItem, type BrowserImagesOptions } from './browser/browser-images.js';
export { decodeImageInBrowser } from './browser/decode-in-browser.js';
export { parseIdx, encodeIdx, IdxFormatError, type IdxArray } from './fashion-mnist/idx.js';
export {
  FashionMnist,
  fashionMnistFromIdx,
  fashionMnistClasses,
  fashionMnistFiles,
  fashionMnistSize,
  type FashionMnistOptions,
  type FashionMnistSplit,
} from './fashion-mnist/fashion-mnist.js';
