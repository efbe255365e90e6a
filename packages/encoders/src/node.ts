// @pixelrepa/encoders/node — the Node-only half: the weights cache and downloads, file loading.
export { loadEncoder, loadEncoderStateDict, type LoadEncoderOptions } from './node/load-encoder.js';
export { readCheckpointFile } from './node/read-checkpoint-file.js';
// The cache and download code is shared with the metrics package; it lives in @pixelrepa/io/node.
export { fetchToCache, DownloadError, ChecksumError, OfflineError, type FetchToCacheOptions, type ProgressCallback } from '@pixelrepa/io/node';
export { loadSmallViTFile } from './node/load-small-vit.js';
