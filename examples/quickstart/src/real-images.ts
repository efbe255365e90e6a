import { createRandom, permutation, type Sample, type SampleSource } from '@pixelrepa/data';

/** A source whose labels can be read without loading images (Fashion-MNIST, procedural). */
export type LabelledSource = SampleSource & { labelOf(index: number): number };

/** The samples `indices` of `source`, in that order. */
export function subsetOf(source: SampleSource, indices: readonly number[]): SampleSource {
  return {
    length: indices.length,
    classes: source.classes,
    load: (index: number): Promise<Sample> => source.load(indices[index]),
    describe: (index: number) => source.describe?.(indices[index]) ?? `sample ${indices[index]}`,
  };
}

export interface RealImageSets {
  /** The reference set the FIDs are measured against. */
  reference: number[];
  /** `perClass` images of each class, none in `reference`, class by class: the real-vs-real floor and the grid. */
  balanced: number[];
}

/**
 * Splits a seeded shuffle of `source` into a reference set of `referenceSize` images and, from the
 * rest, `perClass` images of each class (class 0 first): comparing the second set with the first
 * gives the FID two sets of real images reach, the floor for the samples' FID.
 */
export function realImageSets(
  source: LabelledSource,
  { referenceSize, perClass, seed }: { referenceSize: number; perClass: number; seed: number },
): RealImageSets {
  const order = permutation(source.length, createRandom(seed));
  const classes = source.classes.length;
  if (source.length < referenceSize + classes * perClass) {
    throw new Error(`the training data has ${source.length} images; the FIDs need ${referenceSize} for the reference and ${perClass} per class besides`);
  }
  const reference = Array.from(order.subarray(0, referenceSize));
  const byClass: number[][] = Array.from({ length: classes }, () => []);
  for (const index of order.subarray(referenceSize)) {
    const bucket = byClass[source.labelOf(index)];
    if (bucket.length < perClass) bucket.push(index);
  }
  const short = byClass.findIndex((bucket) => bucket.length < perClass);
  if (short >= 0) throw new Error(`class ${source.classes[short]} has only ${byClass[short].length} images outside the reference set; ${perClass} are needed`);
  return { reference, balanced: byClass.flat() };
}
