import { describe, expect, it } from 'vitest';
import { createProgress, downloadProgress, formatEta, formatSeconds } from './progress.js';

describe('createProgress off a terminal', () => {
  it('prints the first and the last update, notes as they come, and an ETA while work remains', () => {
    let text = '';
    const progress = createProgress(
      {
        write: (chunk: string) => {
          text += chunk;
        },
      },
      { label: 'train', total: 5, start: 1, intervalSeconds: 3600 },
    );
    for (let done = 2; done <= 5; done++) {
      progress.update(done, `loss ${done}`);
      if (done === 3) progress.note('checkpoint at step 3');
    }
    progress.stop();
    const lines = text.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^train 2\/5 \| loss 2 \| ETA \d+s$/);
    expect(lines[1]).toBe('checkpoint at step 3');
    expect(lines[2]).toBe('train 5/5 | loss 5');
  });
});

describe('formatSeconds', () => {
  it.each([
    [4.4, '4s'],
    [75, '1m15s'],
    [239.6, '4m00s'],
    [3599.7, '1h00m'],
    [3700, '1h01m'],
    [Infinity, '?'],
  ])('%s s → %s', (seconds, text) => {
    expect(formatSeconds(seconds)).toBe(text);
  });
});

describe('formatEta', () => {
  it.each([
    [7.2, '7s'],
    [239, '4m00s'],
    [238, '4m00s'],
    [237, '3m55s'],
    [3598, '1h00m'],
  ])('%s s → %s (never 3m60s)', (seconds, text) => {
    expect(formatEta(seconds)).toBe(text);
  });
});

describe('downloadProgress', () => {
  it('draws what the library reports in megabytes, says when the file is there, and is silent for a cached file', () => {
    let text = '';
    const stream = {
      write: (chunk: string) => {
        text += chunk;
      },
    };
    const report = downloadProgress(stream);
    report({ fileName: 'model.safetensors', receivedBytes: 0, totalBytes: 2_000_000, done: false });
    report({ fileName: 'model.safetensors', receivedBytes: 1_000_000, totalBytes: 2_000_000, done: false });
    report({ fileName: 'model.safetensors', receivedBytes: 2_000_000, totalBytes: 2_000_000, done: true });
    const lines = text.trim().split('\n');
    expect(lines[0]).toBe('downloading model.safetensors 0.0 MB/2.0 MB');
    expect(lines.at(-2)).toBe('downloading model.safetensors 2.0 MB/2.0 MB');
    expect(lines.at(-1)).toBe('downloaded model.safetensors');

    let cached = '';
    downloadProgress({
      write: (chunk: string) => {
        cached += chunk;
      },
    })({ fileName: 'model.safetensors', receivedBytes: 5, totalBytes: 5, done: true });
    expect(cached).toBe('');
  });
});
