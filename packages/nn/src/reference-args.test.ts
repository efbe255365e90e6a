import { describe, expect, it } from 'vitest';
import { referenceArgs } from './reference-args.js';

describe('referenceArgs', () => {
  const table = { hiddenSize: ['hidden_size', 1024], depth: ['depth', 24] } as const;
  it('reads the keywords given, keeps the reference defaults for the rest, and refuses non-numbers', () => {
    expect(referenceArgs<{ hiddenSize: number; depth: number }>({ hidden_size: 768, other: 'x' }, table, 'JiT')).toEqual({ hiddenSize: 768, depth: 24 });
    expect(() => referenceArgs<{ hiddenSize: number; depth: number }>({ depth: '12' }, table, 'JiT')).toThrow('JiT argument depth must be a number, got "12"');
  });
});
