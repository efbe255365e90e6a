// @pixelrepa/io/node — the Node-only half: files on disk (the main entry stays browser-safe).
export { openFileSource, withFileSource, type FileSource } from './node/file-source.js';
export { writeFileAtomic } from './node/atomic-write.js';
export { readSafetensorsFile, writeSafetensorsFile, readTorchCheckpointFile, readNpzFile, writeNpzFile } from './node/files.js';
