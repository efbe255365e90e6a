/**
 * A checkpoint, run folder or weights file the caller named cannot be used as asked: it does not
 * exist, is another kind of file, or lacks the weights chosen. An app reports it as the user's
 * mistake (the CLI: its message and exit status 2), not as a failure of the library.
 */
export class CheckpointInputError extends Error {
  override readonly name = 'CheckpointInputError';
}
