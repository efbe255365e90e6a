/**
 * The one error class every reader in `@pixelrepa/io` throws for bad input.
 * `format` names the file format; `where` says where in the file the problem is.
 */
export class FormatError extends Error {
  override readonly name = 'FormatError';
  constructor(
    readonly format: string,
    message: string,
    readonly where?: string,
  ) {
    super(`${format}: ${message}${where ? ` (at ${where})` : ''}`);
  }
}
