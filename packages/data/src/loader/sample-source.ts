import type { RgbImage } from '../image.js';

/** One labelled image. */
export interface Sample {
  /** [H, W, 3] uint8 */
  image: RgbImage;
  label: number;
}

/**
 * A random-access dataset: what a `DataLoader` draws from. Image folders, packed caches, the
 * procedural dataset and browser file lists all implement it.
 */
export interface SampleSource {
  /** Number of samples (some may still fail to load; the loader skips those). */
  readonly length: number;
  /** Class names; labels index into this list. */
  readonly classes: readonly string[];
  /** Loads sample `index`; rejects with a `SampleSkipError` (or any error) when it cannot. */
  load(index: number): Promise<Sample>;
  /** A name for messages (a path, "procedural", …). */
  describe?(index: number): string;
  /** Releases workers, file handles. */
  close?(): Promise<void>;
}

/** Why a file was left out. */
export type SkipReason = 'corrupt' | 'truncated' | 'too-large' | 'not-an-image' | 'unreadable' | 'unsupported-extension' | 'empty-class' | 'failed';

/** A sample that cannot be used: the loader drops it, warns once, counts it, and goes on. */
export class SampleSkipError extends Error {
  readonly reason: SkipReason;
  readonly path: string;
  constructor(reason: SkipReason, path: string, detail: string) {
    super(`${path}: ${detail}`);
    this.name = 'SampleSkipError';
    this.reason = reason;
    this.path = path;
  }
}

/**
 * Data that was prepared by this package and no longer matches its checksums or index: not a
 * bad input file to skip, but a broken cache to rebuild, so loaders stop on it.
 */
export class DataIntegrityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataIntegrityError';
  }
}
