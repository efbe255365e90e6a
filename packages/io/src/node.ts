// @pixelrepa/io/node — the Node-only half: files on disk (the main entry stays browser-safe).
export { openFileSource, withFileSource, type FileSource } from './node/file-source.js';
export { writeFileAtomic } from './node/atomic-write.js';
export { readSafetensorsFile, readSafetensorsMetadataFile, writeSafetensorsFile, readTorchCheckpointFile, readNpzFile, writeNpzFile } from './node/files.js';
export { fetchToCache, type FetchToCacheOptions } from './node/download/fetch-to-cache.js';
export { resolveCacheDir, isOffline } from './node/download/cache-dir.js';
export type { DownloadProgress, ProgressCallback } from './node/download/progress.js';
export { httpGet, type HttpGetResult } from './node/download/http-get.js';
export { sha256File } from './node/download/sha256-file.js';
export { DownloadError, ChecksumError, OfflineError } from './node/download/errors.js';
