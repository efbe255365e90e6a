import { tf, type Tensor } from '@pixelrepa/tensor';
import { tensorStateDict } from '@pixelrepa/nn';
import type { RawTensor } from '@pixelrepa/io';
import type { FixtureCase } from '@pixelrepa/tensor/testing';
import { compareTensor } from './compare.js';
import type { TensorResult } from './kind.js';

/** A case input as a tensor; `nhwc` turns the fixture's NCHW images into our NHWC. */
export function input(fixture: FixtureCase, name: string, { nhwc = false } = {}): Tensor {
  const raw = fixture.inputs().get(name);
  if (!raw) throw new Error(`${fixture.name}: inputs.safetensors has no "${name}"`);
  return tensorStateDict([[name, nhwc ? nchwToNhwcValues(raw) : raw]]).get(name)!;
}

/**
 * NCHW → NHWC on the file's values, before any backend sees them: exact for every dtype, and no
 * Transpose kernel (tfjs-backend-webgpu 4.22's does not compile for int32 tensors such as uint8 images).
 */
function nchwToNhwcValues(raw: RawTensor): RawTensor {
  if (raw.shape.length !== 4) throw new Error(`expected an NCHW image tensor, got shape [${raw.shape.join(', ')}]`);
  const [B, C, H, W] = raw.shape;
  const from = raw.data;
  const to = new (from.constructor as new (length: number) => typeof from)(from.length);
  for (let b = 0; b < B; b++) {
    for (let c = 0; c < C; c++) {
      for (let h = 0; h < H; h++) {
        for (let w = 0; w < W; w++) to[((b * H + h) * W + w) * C + c] = from[((b * C + c) * H + h) * W + w];
      }
    }
  }
  return { ...raw, shape: [B, H, W, C], data: to };
}

/** The case's weights as tensors (caller disposes). */
export function weights(fixture: FixtureCase, file = 'weights.safetensors'): Map<string, Tensor> {
  return tensorStateDict(fixture.file(file));
}

/**
 * Compares each `actual` tensor with the expected tensor of the same name (NHWC images are turned
 * back into NCHW when `nchw` lists the name). Unknown names are an error: a checker must not
 * silently compare nothing.
 */
export async function compareAll(fixture: FixtureCase, actual: Map<string, Tensor>, { nchw = [] as string[] } = {}): Promise<TensorResult[]> {
  const expected = fixture.expected();
  const results: TensorResult[] = [];
  for (const [name, tensor] of actual) {
    const want: RawTensor | undefined = expected.get(name);
    if (!want) throw new Error(`${fixture.name}: expected.safetensors has no "${name}"`);
    const value = nchw.includes(name) ? tf.transpose(tensor, [0, 3, 1, 2]) : tensor;
    const data = await value.data();
    if (value !== tensor) value.dispose();
    results.push(compareTensor(fixture.json, name, data as Float32Array, want));
  }
  return results;
}

/** Expected names the checker did not produce (reported as failures). */
export function missingResults(fixture: FixtureCase, produced: Iterable<string>): TensorResult[] {
  const have = new Set(produced);
  return [...fixture.expected().keys()]
    .filter((name) => !have.has(name))
    .map((name) => ({ tensor: name, maxAbsError: Infinity, allowed: 0, ok: false, detail: 'not computed by the checker' }));
}

export function disposeAll(map: Map<string, Tensor>): void {
  for (const tensor of map.values()) tensor.dispose();
}
