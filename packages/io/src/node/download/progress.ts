/** How far a download is. */
export interface DownloadProgress {
  fileName: string;
  /** Bytes on disk so far, including a resumed part. */
  receivedBytes: number;
  /** The file size when the server said it. */
  totalBytes?: number;
  /** True once the file is complete and verified. */
  done: boolean;
}

/** Called as a download goes (the library reports; an app draws it, e.g. the CLI's bar). */
export type ProgressCallback = (progress: DownloadProgress) => void;
