/**
 * Something the command names does not exist: a failure (exit 1), not a usage mistake (exit 2);
 * `main` prints the code after the message, as for every coded error.
 */
export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
  constructor(
    readonly code: 'ADMIN_NOT_FOUND' | 'ACCESS_KEY_NOT_FOUND' | 'SERVICE_NOT_FOUND',
    message: string,
  ) {
    super(message);
  }
}
