import { expect } from 'vitest';
import { FormatError } from '../errors.js';

/** `run` throws a FormatError whose message matches `message` and stays short (bounded printing). */
export function expectShortFormatError(run: () => unknown, message: RegExp): void {
  let error: unknown;
  try {
    run();
  } catch (caught) {
    error = caught;
  }
  expect(error).toBeInstanceOf(FormatError);
  expect((error as FormatError).message).toMatch(message);
  expect((error as FormatError).message.length).toBeLessThan(600);
}
