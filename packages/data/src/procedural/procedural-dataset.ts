import { createRgbImage, type RgbImage } from '../image.js';
import type { Sample, SampleSource } from '../loader/sample-source.js';
import { createRandom, hashSeed } from '../random.js';
import { hsvToRgb } from './colour.js';
import { shapeDistance, shapeNames, type ShapeName } from './shapes.js';
import { textureNames, textureShade, type TextureName } from './textures.js';

export interface ProceduralDatasetOptions {
  /** Default 10. */
  numClasses?: number;
  /** Side of the square images. Default 32. */
  imageSize?: number;
  /** Number of samples; labels cycle 0, 1, …, numClasses − 1. Default 1000 per class. */
  length?: number;
  /** Different seeds give different (but equally deterministic) images. Default 0. */
  seed?: number;
}

/** What makes class k recognisable: its shape, surface texture and hue. */
export interface ClassStyle {
  shape: ShapeName;
  texture: TextureName;
  /** In [0, 1). */
  hue: number;
}

const golden = 0.6180339887498949;

/**
 * Class k's look: shape k mod 10, texture chosen so that (shape, texture) pairs differ for the
 * first 50 classes, hue spaced by the golden ratio (so class k looks the same for any class count).
 */
export function classStyle(label: number): ClassStyle {
  const shapeCount = shapeNames.length;
  const shape = shapeNames[label % shapeCount];
  const texture = textureNames[(label + Math.floor(label / shapeCount)) % textureNames.length];
  const hue = (label * golden + 0.02) % 1;
  return { shape, texture, hue };
}

/**
 * Class-conditional RGB images with real visual structure, for the quickstart, the examples and
 * tests: the class sets the shape, texture and hue; each sample draws its own position, scale,
 * rotation, colour jitter and a noisy two-tone background. Pure JavaScript (runs in browsers),
 * deterministic for (seed, index), anti-aliased, and fast (≈ 0.1 ms for 32 × 32).
 *
 * ```ts
 * const data = proceduralDataset({ imageSize: 64, numClasses: 10 });
 * const { image, label } = data.render(7); // image: [64, 64, 3] uint8, label 7
 * ```
 */
export class ProceduralDataset implements SampleSource {
  readonly length: number;
  readonly classes: readonly string[];
  readonly numClasses: number;
  readonly imageSize: number;
  readonly seed: number;

  constructor(options: ProceduralDatasetOptions = {}) {
    const { numClasses = 10, imageSize = 32, seed = 0 } = options;
    if (!(Number.isInteger(numClasses) && numClasses >= 1)) throw new Error(`proceduralDataset: numClasses must be an integer ≥ 1, found ${numClasses}`);
    if (!(Number.isInteger(imageSize) && imageSize >= 4)) throw new Error(`proceduralDataset: imageSize must be an integer ≥ 4, found ${imageSize}`);
    const length = options.length ?? numClasses * 1000;
    if (!(Number.isInteger(length) && length >= 0)) throw new Error(`proceduralDataset: length must be a non-negative integer, found ${length}`);
    this.numClasses = numClasses;
    this.imageSize = imageSize;
    this.seed = seed;
    this.length = length;
    this.classes = Array.from({ length: numClasses }, (_, k) => {
      const style = classStyle(k);
      return `${k}-${style.texture}-${style.shape}`;
    });
  }

  labelOf(index: number): number {
    return index % this.numClasses;
  }

  /** Sample `index` (any integer ≥ 0; indices past `length` work too). */
  render(index: number): Sample {
    const label = this.labelOf(index);
    return { image: renderProceduralImage(classStyle(label), this.imageSize, hashSeed(this.seed, index)), label };
  }

  load(index: number): Promise<Sample> {
    if (!(Number.isInteger(index) && index >= 0 && index < this.length)) {
      return Promise.reject(new Error(`proceduralDataset: index ${index} is outside [0, ${this.length})`));
    }
    return Promise.resolve(this.render(index));
  }

  describe(index: number): string {
    return `procedural sample ${index}`;
  }
}

export function proceduralDataset(options: ProceduralDatasetOptions = {}): ProceduralDataset {
  return new ProceduralDataset(options);
}

/** Draws one image of `style`. → [size, size, 3] */
export function renderProceduralImage(style: ClassStyle, size: number, seed: number): RgbImage {
  const random = createRandom(seed);
  // Per-sample geometry, in image coordinates spanning [−1, 1] (y down).
  const scale = random.uniform(0.38, 0.62);
  const margin = 0.95 - scale;
  const centerX = random.uniform(-margin, margin);
  const centerY = random.uniform(-margin, margin);
  const angle = random.uniform(0, 2 * Math.PI);
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const foreground = hsvToRgb(style.hue + random.uniform(-0.025, 0.025), random.uniform(0.7, 0.95), random.uniform(0.8, 1));
  const backgroundHue = random.next();
  const backgroundA = hsvToRgb(backgroundHue, random.uniform(0.1, 0.45), random.uniform(0.08, 0.4));
  const backgroundB = hsvToRgb(backgroundHue + random.uniform(-0.15, 0.15), random.uniform(0.1, 0.45), random.uniform(0.25, 0.6));
  const gradientAngle = random.uniform(0, 2 * Math.PI);
  const gradientX = Math.cos(gradientAngle) * 0.5;
  const gradientY = Math.sin(gradientAngle) * 0.5;
  const noise = random.uniform(0.02, 0.07);
  const pixel = 2 / size;
  const image = createRgbImage(size, size);
  const out = image.data;
  for (let row = 0, o = 0; row < size; row++) {
    const y = (row + 0.5) * pixel - 1;
    for (let column = 0; column < size; column++, o += 3) {
      const x = (column + 0.5) * pixel - 1;
      const g = Math.min(Math.max(x * gradientX + y * gradientY + 0.5, 0), 1);
      // Shape frame: translate, rotate by −angle, divide by scale.
      const dx = x - centerX;
      const dy = y - centerY;
      const u = (cos * dx + sin * dy) / scale;
      const v = (-sin * dx + cos * dy) / scale;
      const coverage = Math.min(Math.max(0.5 - (shapeDistance(style.shape, u, v) * scale) / pixel, 0), 1);
      const shade = coverage > 0 ? textureShade(style.texture, u, v) : 0;
      for (let c = 0; c < 3; c++) {
        const background = backgroundA[c] + (backgroundB[c] - backgroundA[c]) * g + noise * (random.next() * 2 - 1);
        const value = background * (1 - coverage) + foreground[c] * shade * coverage;
        out[o + c] = Math.min(Math.max(Math.round(value * 255), 0), 255);
      }
    }
  }
  return image;
}
