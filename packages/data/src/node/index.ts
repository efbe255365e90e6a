// @pixelrepa/data/node — the Node-only half: sharp decoding, image folders on disk, decode
// worker threads, packed caches. Everything browser-safe is in '@pixelrepa/data'.
export { decodeImage, decodeImageFile, DEFAULT_MAX_PIXELS, type DecodeImageOptions } from './decode-image.js';
export { scanImageFolder, imageExtensions, type ImageFolderScan, type ScannedFile } from './scan-image-folder.js';
export { ImageFolder, imageFolder, type ImageFolderOptions } from './image-folder.js';
export { writeClassIndex, readClassIndex, defaultClassIndexPath, type ClassIndexFile } from './class-index.js';
export { DecodePool } from './decode-pool.js';
export { writePng, writeGrid, gridScale, listImageFiles, imageFileBatches, ImageInputError, type GridOptions } from './image-files.js';
export { prepare, type PrepareOptions } from './packed-cache/prepare.js';
export { PackedCache, openPackedCache, verifyPackedCache, type OpenPackedCacheOptions } from './packed-cache/packed-cache.js';
export { packedCacheFormat, packedCacheVersion, type PackedCacheIndex, type PackedShard } from './packed-cache/format.js';
export { openFashionMnist, debianFashionMnistRoot, FashionMnistFileError, type OpenFashionMnistOptions } from './fashion-mnist-files.js';
export { openDataset, DatasetMismatchError, type DatasetSpec, type OpenDatasetOptions, type OpenedDataset } from './open-dataset.js';
export { sampleFileName, writePngAtomic, isWrittenImage, checkSampleSettings } from './sample-folder.js';
