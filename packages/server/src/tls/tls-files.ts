import { readFileSync, unwatchFile, watchFile } from 'node:fs';
import { createSecureContext } from 'node:tls';

export interface TlsFilePaths {
  /** PEM certificate chain, leaf first. */
  readonly certPath: string;
  /** PEM private key of the leaf certificate. */
  readonly keyPath: string;
}

export interface TlsPair {
  readonly cert: Buffer;
  readonly key: Buffer;
}

/** The certificate or key cannot be used: unreadable, not PEM, or the key does not match. */
export class TlsFilesInvalidError extends Error {
  override readonly name = 'TlsFilesInvalidError';
}

/**
 * Reads a certificate and its key, and checks that they make a TLS context (so a key that does not
 * match its certificate is an error here, not at the first handshake). The message names the
 * files, never their contents.
 */
export function loadTlsFiles({ certPath, keyPath }: TlsFilePaths): TlsPair {
  let cert: Buffer;
  let key: Buffer;
  try {
    cert = readFileSync(certPath);
    key = readFileSync(keyPath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new TlsFilesInvalidError(`cannot read the TLS files ${certPath} and ${keyPath} (${code})`);
  }
  try {
    createSecureContext({ cert, key });
  } catch (error) {
    const reason = (error as Error).message.split('\n')[0]?.slice(0, 120) ?? 'invalid';
    throw new TlsFilesInvalidError(`the TLS files ${certPath} and ${keyPath} cannot be used: ${reason}`);
  }
  return { cert, key };
}

/** What `setSecureContext` is on: Node's https.Server (Fastify's `app.server` with `https`). */
export interface SecureContextTarget {
  setSecureContext(options: { cert: Buffer; key: Buffer }): void;
}

export interface TlsWatchOptions {
  /** How often the files are checked, in ms. Default 2 000 (polling: renewals often swap the files by rename). */
  readonly intervalMs?: number;
  /** Told after each reload attempt: the new pair is in use, or the error while the old one stays. */
  readonly onReload?: (outcome: { ok: true } | { ok: false; error: TlsFilesInvalidError }) => void;
}

/**
 * Puts a renewed certificate into service without a restart: when either file changes, the pair is
 * read again and, if it makes a context, becomes the server's for new connections. A half-written
 * renewal (a new certificate beside the old key) fails the check and the old pair stays until the
 * next change completes it. Returns a function that stops watching.
 */
export function watchTlsFiles(
  server: SecureContextTarget,
  paths: TlsFilePaths,
  options: TlsWatchOptions = {},
): () => void {
  const interval = options.intervalMs ?? 2_000;
  const reload = () => {
    try {
      server.setSecureContext({ ...loadTlsFiles(paths) });
      options.onReload?.({ ok: true });
    } catch (error) {
      if (!(error instanceof TlsFilesInvalidError)) throw error;
      options.onReload?.({ ok: false, error });
    }
  };
  const listener = (now: { mtimeMs: number; ino: number }, before: { mtimeMs: number; ino: number }) => {
    if (now.mtimeMs !== before.mtimeMs || now.ino !== before.ino) reload();
  };
  for (const path of [paths.certPath, paths.keyPath])
    watchFile(path, { interval, persistent: false }, listener);
  return () => {
    for (const path of [paths.certPath, paths.keyPath]) unwatchFile(path, listener);
  };
}
