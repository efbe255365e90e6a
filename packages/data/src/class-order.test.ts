import { describe, expect, it } from 'vitest';
import { compareCodePoints, sortClassNames } from './class-order.js';

describe('sortClassNames (Python sorted on str)', () => {
  it('orders by code point: upper case before lower, punctuation by value, not by locale', () => {
    const names = ['b', 'B', 'a', 'a_b', 'a-b', 'a b', 'Z', '10', '9', 'é', 'e'];
    // sorted(['b','B','a','a_b','a-b','a b','Z','10','9','é','e']) in Python:
    expect(sortClassNames(names)).toEqual(['10', '9', 'B', 'Z', 'a', 'a b', 'a-b', 'a_b', 'b', 'e', 'é']);
    expect(sortClassNames(names)).not.toEqual([...names].sort((x, y) => x.localeCompare(y)));
  });

  it('puts characters above U+FFFF after U+E000–U+FFFF, unlike UTF-16 order', () => {
    const astral = '\u{1F600}';
    const high = '\uFF21';
    expect(sortClassNames([astral, high])).toEqual([high, astral]);
    expect([astral, high].sort()).toEqual([astral, high]);
    expect(compareCodePoints('n01440764', 'n01443537')).toBeLessThan(0);
  });
});
