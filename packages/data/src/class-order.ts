/**
 * Python's `str` ordering (`sorted()`): by Unicode code point. JavaScript's default sort compares
 * UTF-16 code units, which orders characters above U+FFFF before U+E000–U+FFFF, and
 * `localeCompare` ignores case and punctuation; either would renumber ImageNet-style classes.
 */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x - y;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

/** Class names sorted as torchvision's ImageFolder sorts its folders. */
export function sortClassNames(names: Iterable<string>): string[] {
  return [...names].sort(compareCodePoints);
}
