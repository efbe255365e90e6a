/**
 * A mistake in how a command was called (an unknown flag, a missing value, a bad config file).
 * The CLI prints the message and a pointer to `--help`, and exits with status 2.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The message of anything thrown, without a stack. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
