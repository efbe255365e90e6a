import { FormatError } from '../errors.js';

/** A value of the Python literal subset .npy headers use. Tuples and lists are both arrays. */
export type PythonLiteral = string | number | boolean | null | PythonLiteral[] | Map<string, PythonLiteral>;

/**
 * Parses the Python dict literal of an .npy header, e.g.
 * `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }`, without eval: strings,
 * integers, True/False/None, tuples, lists and dicts with string keys.
 */
export function parsePythonLiteral(text: string, where: string): PythonLiteral {
  let at = 0;
  const fail = (message: string): never => {
    throw new FormatError('npy', `${message} in header ${JSON.stringify(text.slice(0, 120))}`, `${where}, header character ${at}`);
  };
  const skipSpace = () => {
    while (at < text.length && /\s/.test(text[at])) at++;
  };
  const expect = (char: string) => {
    skipSpace();
    if (text[at] !== char) fail(`expected "${char}"`);
    at++;
  };
  let depth = 0;
  const value = (): PythonLiteral => {
    skipSpace();
    const char = text[at];
    if (char === '{' || char === '(' || char === '[') {
      if (++depth > 32) fail('nesting too deep');
      const result = char === '{' ? dict() : sequence(char === '(' ? ')' : ']');
      depth--;
      return result;
    }
    if (char === "'" || char === '"') return string();
    const word = /^(True|False|None|[+-]?\d+L?)/.exec(text.slice(at, at + 40));
    if (!word) fail('expected a value');
    at += word![0].length;
    if (word![0] === 'True') return true;
    if (word![0] === 'False') return false;
    if (word![0] === 'None') return null;
    const number = Number(word![0].replace(/L$/, ''));
    if (!Number.isSafeInteger(number)) fail(`integer ${word![0]} is too large`);
    return number;
  };
  const string = (): string => {
    const quote = text[at++];
    let out = '';
    while (at < text.length && text[at] !== quote) {
      if (text[at] === '\\') at++;
      out += text[at++] ?? '';
    }
    if (at >= text.length) fail('unterminated string');
    at++;
    return out;
  };
  const sequence = (close: string): PythonLiteral[] => {
    at++;
    const items: PythonLiteral[] = [];
    for (;;) {
      skipSpace();
      if (text[at] === close) break;
      items.push(value());
      skipSpace();
      if (text[at] === ',') at++;
      else if (text[at] !== close) fail(`expected "," or "${close}"`);
    }
    at++;
    return items;
  };
  const dict = (): Map<string, PythonLiteral> => {
    at++;
    const entries = new Map<string, PythonLiteral>();
    for (;;) {
      skipSpace();
      if (text[at] === '}') break;
      const key = value();
      if (typeof key !== 'string') fail('dict key is not a string');
      expect(':');
      entries.set(key as string, value());
      skipSpace();
      if (text[at] === ',') at++;
      else if (text[at] !== '}') fail('expected "," or "}"');
    }
    at++;
    return entries;
  };
  const result = value();
  skipSpace();
  if (at < text.length) fail('unexpected text after the header dict');
  return result;
}
