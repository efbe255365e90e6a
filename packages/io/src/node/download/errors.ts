/** A file could not be downloaded (HTTP error, too many interruptions, wrong size). */
export class DownloadError extends Error {
  override readonly name: string = 'DownloadError';
}

/** The downloaded bytes do not have the expected SHA-256; the file was not kept. */
export class ChecksumError extends DownloadError {
  override readonly name = 'ChecksumError';
}

/** Offline mode is on and the file is not in the cache. */
export class OfflineError extends Error {
  override readonly name = 'OfflineError';
}
