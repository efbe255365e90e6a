import { MultiBar, type SingleBar } from 'cli-progress';
import type { ProgressCallback } from '@pixelrepa/io/node';
import type { OutputStream } from './context.js';

/** A progress display for `total` units of work, with an ETA and a status (loss, lr, …). */
export interface Progress {
  /** `done` units finished; `status` replaces the status text. */
  update(done: number, status?: string): void;
  /** A line of its own (kept above the bar on a terminal). */
  note(line: string): void;
  stop(): void;
}

export interface ProgressOptions {
  label: string;
  total: number;
  /** Where counting starts (a resumed run starts at its step); the ETA uses only new work. */
  start?: number;
  /** Not a terminal: a line every this many seconds (plus the first and the last). Default 10. */
  intervalSeconds?: number;
  /** How the counts print (default: as they are); e.g. bytes as megabytes. */
  formatValue?: (value: number) => string;
}

/**
 * A cli-progress bar on a terminal (`train [████░░░░] 120/1000 | loss 0.41 · 6.2 img/s | ETA 2m10s`);
 * elsewhere (logs, CI, pipes) plain lines: the first update, one every `intervalSeconds`, and the last.
 */
export function createProgress(stream: OutputStream, options: ProgressOptions): Progress {
  return stream.isTTY ? terminalProgress(stream as NodeJS.WriteStream, options) : lineProgress(stream, options);
}

function terminalProgress(stream: NodeJS.WriteStream, { label, total, start = 0, formatValue = String }: ProgressOptions): Progress {
  const bars = new MultiBar({
    stream,
    format: `${label} [{bar}] {shownValue}/{shownTotal} | {status} | ETA {eta_formatted}`,
    barCompleteChar: '█',
    barIncompleteChar: '░',
    hideCursor: true,
    clearOnComplete: false,
    etaBuffer: 20,
    barsize: 20,
    // cli-progress rounds the seconds alone to 5 (239 s → `3m60s`): round the whole time instead.
    formatTime: (seconds: number) => formatEta(seconds),
  });
  const bar: SingleBar = bars.create(total, start, { status: '', shownValue: formatValue(start), shownTotal: formatValue(total) });
  let stopped = false;
  return {
    update: (done, status) => bar.update(done, { shownValue: formatValue(done), ...(status === undefined ? {} : { status }) }),
    note: (line) => (stopped ? stream.write(`${line}\n`) : bars.log(`${line}\n`)),
    stop() {
      if (!stopped) bars.stop();
      stopped = true;
    },
  };
}

function lineProgress(stream: OutputStream, { label, total, start = 0, intervalSeconds = 10, formatValue = String }: ProgressOptions): Progress {
  const began = performance.now();
  let lastPrint = -Infinity;
  let lastStatus = '';
  let printed = -1;
  return {
    update(done, status) {
      if (status !== undefined) lastStatus = status;
      const now = performance.now();
      const first = printed < 0;
      if (!first && done < total && now - lastPrint < intervalSeconds * 1000) return;
      lastPrint = now;
      printed = done;
      const rate = (done - start) / ((now - began) / 1000);
      const eta = rate > 0 && done < total ? ` | ETA ${formatEta((total - done) / rate)}` : '';
      stream.write(`${label} ${formatValue(done)}/${formatValue(total)}${lastStatus ? ` | ${lastStatus}` : ''}${eta}\n`);
    },
    note: (line) => stream.write(`${line}\n`),
    stop() {},
  };
}

/**
 * A download's progress (the libraries report it through `onProgress`; this draws it): a bar of
 * megabytes on a terminal, lines elsewhere; a file already in the cache prints nothing.
 */
export function downloadProgress(stream: OutputStream): ProgressCallback {
  let progress: Progress | undefined;
  return ({ fileName, receivedBytes, totalBytes, done }) => {
    if (!progress) {
      if (done) return;
      progress = createProgress(stream, {
        label: `downloading ${fileName}`,
        total: totalBytes ?? 0,
        start: receivedBytes,
        formatValue: (bytes) => `${(bytes / 1e6).toFixed(1)} MB`,
      });
    }
    progress.update(receivedBytes);
    if (done) {
      progress.stop();
      stream.write(`downloaded ${fileName}\n`);
    }
  };
}

/** An ETA: to 5 s above ten seconds (it jitters), then as formatSeconds: 239 → `4m00s`. */
export function formatEta(seconds: number): string {
  return formatSeconds(seconds > 10 ? 5 * Math.round(seconds / 5) : seconds);
}

/** 75 → `1m15s`, 3700 → `1h01m`, 239.6 → `4m00s` (the whole time is rounded, never `3m60s`). */
export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
