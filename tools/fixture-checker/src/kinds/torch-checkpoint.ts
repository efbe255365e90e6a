// Kind `torch-checkpoint`: reads checkpoint-last.pth with @pixelrepa/io's restricted unpickler
// and compares every tensor leaf with expected.safetensors exactly; checks the non-tensor
// leaves the case names in prose, and that malicious.pth is refused.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FormatError, flattenTensors, readTorchCheckpoint, widenHalf, type RawTensor } from '@pixelrepa/io';
import { compareTensor, compareValue } from '../compare.js';
import type { KindChecker, TensorResult } from '../kind.js';

const EXACT = { atol: 0, rtol: 0 };

/** Tensor values as plain numbers: F16/BF16 widened, bool as 0/1, int64 as float64. */
function numbers(tensor: RawTensor): ArrayLike<number> {
  const widened = widenHalf(tensor);
  return widened.data instanceof BigInt64Array ? Float64Array.from(widened.data, Number) : (widened.data as ArrayLike<number>);
}

/** A value at a dotted path of plain objects, arrays and Maps. */
function at(tree: unknown, path: Array<string | number>): unknown {
  let value = tree;
  for (const key of path) {
    if (value instanceof Map) value = value.get(key);
    else if (value !== null && typeof value === 'object') value = (value as Record<string | number, unknown>)[key];
    else return undefined;
  }
  return value;
}

export const checker: KindChecker = {
  kind: 'torch-checkpoint',
  aliases: ['torch_checkpoint'],
  async check(fixture) {
    const checkpoint = readTorchCheckpoint(readFileSync(join(fixture.dir, 'checkpoint-last.pth')));
    const actual = flattenTensors(checkpoint);
    const results: TensorResult[] = [];
    for (const [name, expected] of fixture.expected()) {
      const tensor = actual.get(name);
      results.push(
        tensor
          ? compareTensor(fixture.json, name, numbers(tensor), expected, EXACT)
          : { tensor: name, maxAbsError: Infinity, allowed: 0, ok: false, detail: 'missing from the checkpoint as read' },
      );
    }
    for (const name of actual.keys()) {
      if (!fixture.expected().has(name))
        results.push({ tensor: name, maxAbsError: Infinity, allowed: 0, ok: false, detail: 'read from the checkpoint but not in expected.safetensors' });
    }
    // The case gives these only in its "expected" prose.
    results.push(
      compareValue('epoch', at(checkpoint, ['epoch']), 599),
      compareValue('args.model', at(checkpoint, ['args', 'model']), 'JiT-B/16'),
      compareValue('args.cfg', at(checkpoint, ['args', 'cfg']), 3.1),
      compareValue('optimizer.param_groups.0.betas', at(checkpoint, ['optimizer', 'param_groups', 0, 'betas']), [0.9, 0.95]),
      compareValue('optimizer.param_groups.0.lr', at(checkpoint, ['optimizer', 'param_groups', 0, 'lr']), 0.0002),
    );
    const maliciousPath = join(fixture.dir, 'malicious.pth');
    if (existsSync(maliciousPath)) results.push(checkRefused(maliciousPath));
    return results;
  },
};

/** malicious.pth calls os.system through REDUCE: it must be refused with a FormatError naming `system`. */
function checkRefused(path: string): TensorResult {
  let outcome: string;
  try {
    readTorchCheckpoint(readFileSync(path));
    outcome = 'loaded without error';
  } catch (error) {
    outcome = error instanceof FormatError && /\bsystem\b/.test(error.message) ? 'refused' : `threw ${(error as Error).name}: ${(error as Error).message}`;
  }
  return compareValue('malicious.pth refused (FormatError naming system)', outcome, 'refused');
}
