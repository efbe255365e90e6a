/**
 * The one error class every reader in `@pixelrepa/io` throws for bad input.
 * `format` names the file format; `reason` says what is wrong; `where` says where in the
 * file the problem is. The message joins the three: `pth: reason (at where)`.
 */
export class FormatError extends Error {
  override readonly name = 'FormatError';
  constructor(
    readonly format: string,
    readonly reason: string,
    readonly where?: string,
  ) {
    super(`${format}: ${reason}${where ? ` (at ${where})` : ''}`);
  }
}
