/** Our config field → the reference constructor's keyword and its default there. */
export type ReferenceArgTable<C> = { [K in keyof C]-?: readonly [keyword: string, fallback: C[K] & number] };

/**
 * A config from the reference constructor's keyword arguments (`input_size`, `hidden_size`, …, as
 * in a fixture's `config.constructor` or a checkpoint's args), through a table of our field →
 * (keyword, the reference's default). Missing keywords keep the default; a keyword that is not a
 * number is an error naming `what`.
 *
 * @example
 * referenceArgs({ hidden_size: 768 }, { hiddenSize: ['hidden_size', 1024], depth: ['depth', 24] }, 'JiT');
 * // { hiddenSize: 768, depth: 24 }
 */
export function referenceArgs<C extends { [K in keyof C]: number }>(args: Record<string, unknown>, table: ReferenceArgTable<C>, what: string): C {
  const out: Record<string, number> = {};
  for (const [field, [keyword, fallback]] of Object.entries(table) as Array<[string, readonly [string, number]]>) {
    const value = args[keyword];
    if (value !== undefined && typeof value !== 'number') throw new Error(`${what} argument ${keyword} must be a number, got ${JSON.stringify(value)}`);
    out[field] = value ?? fallback;
  }
  return out as C;
}
