import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readSafetensors, type RawTensor } from '@pixelrepa/io';
import { findFixturesRoot, fixtureDir } from '@pixelrepa/io/testing';
import * as tf from '@tensorflow/tfjs-core';

/** One reference case: `case.json` plus its safetensors files (see shared/fixtures/FORMAT.md). */
export interface FixtureCase {
  dir: string;
  name: string;
  kind: string;
  json: CaseJson;
  /** Loaded lazily: a case may lack any of these files. */
  weights(): Map<string, RawTensor>;
  inputs(): Map<string, RawTensor>;
  expected(): Map<string, RawTensor>;
  /** Any other safetensors file of the case, by file name. */
  file(name: string): Map<string, RawTensor>;
}

export interface Tolerance {
  atol: number;
  rtol: number;
}

export interface CaseJson {
  kind: string;
  config?: any;
  tolerance?: {
    atol?: number;
    rtol?: number;
    atol_relative_to_max?: number;
    per_tensor?: Record<string, Partial<Tolerance> & Record<string, unknown>>;
  };
  [key: string]: any;
}

/**
 * The case in `dirOrName` (a path, or a case name under the fixtures folder: see `fixturesRoot()`).
 * Nothing is read until used, so a test file may call this at its top even when the fixtures are
 * missing: its fixture tests (describeWithFixtures) then do not run, and nothing else touches the case.
 */
export function loadCase(dirOrName: string): FixtureCase {
  const byPath = existsSync(join(dirOrName, 'case.json'));
  const dir = byPath ? resolve(dirOrName) : join(findFixturesRoot() ?? 'shared/fixtures', dirOrName);
  let json: CaseJson | undefined;
  const readJson = (): CaseJson => {
    if (json) return json;
    if (!byPath) fixtureDir(dirOrName); // throws, saying how to get the fixtures, when the case is missing
    const jsonPath = join(dir, 'case.json');
    if (!existsSync(jsonPath)) throw new Error(`no case.json in ${dir}`);
    json = JSON.parse(readFileSync(jsonPath, 'utf8')) as CaseJson;
    return json;
  };
  const cache = new Map<string, Map<string, RawTensor>>();
  const file = (name: string) => {
    readJson();
    let tensors = cache.get(name);
    if (!tensors) {
      const path = join(dir, name);
      tensors = existsSync(path) ? readSafetensors(readFileSync(path), { widenHalf: true }).tensors : new Map();
      cache.set(name, tensors);
    }
    return tensors;
  };
  return {
    dir,
    name: dir.split(/[\\/]/).filter(Boolean).pop()!,
    get kind() {
      return readJson().kind;
    },
    get json() {
      return readJson();
    },
    weights: () => file('weights.safetensors'),
    inputs: () => file('inputs.safetensors'),
    expected: () => file('expected.safetensors'),
    file,
  };
}

/** The tolerance for tensor `name`: `per_tensor[name]` when given, else the case's atol/rtol. */
export function toleranceFor(json: CaseJson, name: string): Tolerance {
  const top = json.tolerance ?? {};
  const own = top.per_tensor?.[name];
  return {
    atol: typeof own?.atol === 'number' ? own.atol : (top.atol ?? 0),
    rtol: typeof own?.rtol === 'number' ? own.rtol : (top.rtol ?? 0),
  };
}

/** A raw fixture tensor as a TF.js tensor (F64 → float32, integers → int32, bool → bool). */
export function toTensor(raw: RawTensor): tf.Tensor {
  const { dtype, shape, data } = raw;
  switch (dtype) {
    case 'F32':
      return tf.tensor(data as Float32Array, shape, 'float32');
    case 'F64':
      return tf.tensor(Float32Array.from(data as Float64Array), shape, 'float32');
    case 'I64':
      return tf.tensor(
        Int32Array.from(data as BigInt64Array, (v) => Number(v)),
        shape,
        'int32',
      );
    case 'BOOL':
      return tf.tensor(data as Uint8Array, shape, 'bool');
    case 'F16':
    case 'BF16':
      throw new Error('widen F16/BF16 before converting (readSafetensors({widenHalf: true}))');
    default:
      return tf.tensor(Int32Array.from(data as ArrayLike<number>), shape, 'int32');
  }
}

/** NCHW → NHWC. x: [B, C, H, W] → [B, H, W, C] */
export function nchwToNhwc(x: tf.Tensor4D): tf.Tensor4D {
  return tf.transpose(x, [0, 2, 3, 1]);
}

/** NHWC → NCHW. x: [B, H, W, C] → [B, C, H, W] */
export function nhwcToNchw(x: tf.Tensor4D): tf.Tensor4D {
  return tf.transpose(x, [0, 3, 1, 2]);
}
