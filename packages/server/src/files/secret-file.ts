import { statSync } from 'node:fs';

/** What to do with a secret file that other users can read: refuse (the default) or warn. */
export interface SecretFilePolicy {
  /** Only warn (`--allow-loose-permissions`). */
  readonly allowLoose: boolean;
  readonly warn: (message: string) => void;
}

/** A secret file is readable or writable by group or others; the message says how to fix it. */
export class SecretFileExposedError extends Error {
  override readonly name = 'SecretFileExposedError';
  readonly code = 'SECRET_FILE_EXPOSED';
}

export const REFUSE_LOOSE_SECRET_FILES: SecretFilePolicy = Object.freeze({
  allowLoose: false,
  warn: () => undefined,
});

/**
 * Checks that only the owner can read or write `path` (mode 0600 or tighter) before a secret is
 * taken from it. A missing file passes (its reader reports that). On Windows, modes say nothing.
 *
 * @throws {SecretFileExposedError} naming the file, its mode and the `chmod` that fixes it.
 */
export function checkSecretFileMode(
  path: string,
  policy: SecretFilePolicy = REFUSE_LOOSE_SECRET_FILES,
): void {
  if (process.platform === 'win32') return;
  let mode: number;
  try {
    mode = statSync(path).mode & 0o777;
  } catch {
    return;
  }
  if ((mode & 0o077) === 0) return;
  const octal = mode.toString(8).padStart(4, '0');
  const problem = `the secret file ${path} can be read or changed by other users (mode ${octal})`;
  if (policy.allowLoose) return policy.warn(`${problem}; run: chmod 600 ${path}`);
  throw new SecretFileExposedError(
    `${problem}: run \`chmod 600 ${path}\` (or run \`signet --allow-loose-permissions COMMAND …\`, the flag before the command, to only warn)`,
  );
}
