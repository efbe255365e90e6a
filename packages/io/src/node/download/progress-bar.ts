import { SingleBar } from 'cli-progress';

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

export type ProgressCallback = (progress: DownloadProgress) => void;

const megabytes = (bytes: number) => (bytes / 1e6).toFixed(1);

/**
 * A terminal progress bar (cli-progress) on stderr: `model.safetensors [█████░░░░] 52% | 180.3/346.4
 * MB | ETA 12s`. When stderr is not a terminal it prints only a start and an end line.
 */
export function terminalProgressBar(stream: NodeJS.WriteStream = process.stderr): ProgressCallback {
  let bar: SingleBar | undefined;
  let announced = false;
  return ({ fileName, receivedBytes, totalBytes, done }) => {
    if (!stream.isTTY) {
      if (!announced) stream.write(`downloading ${fileName}${totalBytes ? ` (${megabytes(totalBytes)} MB)` : ''}\n`);
      announced = true;
      if (done) stream.write(`downloaded ${fileName}\n`);
      return;
    }
    if (!bar) {
      bar = new SingleBar({
        stream,
        format: `${fileName} [{bar}] {percentage}% | {receivedMb}/{totalMb} MB | ETA {eta_formatted}`,
        barCompleteChar: '█',
        barIncompleteChar: '░',
        hideCursor: true,
      });
      bar.start(totalBytes ?? 0, receivedBytes, { receivedMb: megabytes(receivedBytes), totalMb: totalBytes ? megabytes(totalBytes) : '?' });
    }
    if (totalBytes) bar.setTotal(totalBytes);
    bar.update(receivedBytes, { receivedMb: megabytes(receivedBytes), totalMb: totalBytes ? megabytes(totalBytes) : '?' });
    if (done) bar.stop();
  };
}
