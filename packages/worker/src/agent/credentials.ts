import { readFileSync } from 'node:fs';
import { type Fernet, openNodeSecret } from '@signet/auth';
import { writeFileAtomic } from '@signet/server';

/** What registration gave this node, kept in `<data>/worker.json`; the api_secret Fernet-encrypted. */
export interface NodeCredentials {
  readonly master: string;
  readonly nodeId: number;
  /** The secret this worker signs with. */
  readonly apiSecret: string;
  readonly hiddenPath: string;
  /** The secret a rotation replaced, still accepted from the master until `until` (ms). */
  readonly previous?: { readonly apiSecret: string; readonly until: number } | undefined;
}

interface StoredCredentials {
  readonly version: 1;
  readonly master: string;
  readonly node_id: number;
  readonly api_secret: string;
  readonly hidden_path: string;
  /** Both present or both absent (a file from before rotations has neither). */
  readonly previous_api_secret?: string;
  readonly previous_until?: number;
}

export function readCredentials(path: string, fernet: Fernet): NodeCredentials | null {
  let stored: StoredCredentials;
  try {
    stored = JSON.parse(readFileSync(path, 'utf8')) as StoredCredentials;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new Error(`${path} is not readable worker credentials; move it away to register again`, {
      cause: error,
    });
  }
  const previous =
    typeof stored.previous_api_secret === 'string' && typeof stored.previous_until === 'number'
      ? { apiSecret: fernet.decryptText(stored.previous_api_secret), until: stored.previous_until }
      : undefined;
  return {
    master: stored.master,
    nodeId: stored.node_id,
    apiSecret: fernet.decryptText(stored.api_secret),
    hiddenPath: stored.hidden_path,
    ...(previous ? { previous } : {}),
  };
}

export function writeCredentials(path: string, fernet: Fernet, credentials: NodeCredentials): void {
  const { previous } = credentials;
  const stored: StoredCredentials = {
    version: 1,
    master: credentials.master,
    node_id: credentials.nodeId,
    api_secret: fernet.encrypt(credentials.apiSecret),
    hidden_path: credentials.hiddenPath,
    ...(previous
      ? { previous_api_secret: fernet.encrypt(previous.apiSecret), previous_until: previous.until }
      : {}),
  };
  writeFileAtomic(path, `${JSON.stringify(stored, null, 2)}\n`);
}

/**
 * The credentials after a rotation handed this worker its next secret, sealed under its current one
 * (`sealNodeSecret`): it signs with the next one from now on and accepts the replaced one for
 * `graceSeconds`. Null when it is the secret the worker has already: the same rotation delivered
 * twice, then sealed under the replaced secret. Anything else sealed under the replaced secret is
 * refused: a secret in its grace period never chooses the next one.
 *
 * @throws {DecryptionFailedError} when the sealed secret is not such a rotation.
 */
export function rotatedCredentials(
  credentials: NodeCredentials,
  sealed: string,
  graceSeconds: number,
  now: number = Date.now(),
): NodeCredentials | null {
  const { apiSecret: current } = credentials;
  let next: string;
  try {
    next = openNodeSecret(sealed, current);
  } catch (error) {
    const replaced = acceptedSecrets(credentials, now)[1];
    if (replaced !== undefined && openNodeSecretOrNull(sealed, replaced) === current) return null;
    throw error;
  }
  if (next === current) return null;
  return {
    ...credentials,
    apiSecret: next,
    previous: { apiSecret: current, until: now + graceSeconds * 1000 },
  };
}

function openNodeSecretOrNull(sealed: string, under: string): string | null {
  try {
    return openNodeSecret(sealed, under);
  } catch {
    return null;
  }
}

/** The secrets the Worker API accepts at `now`: the current one, then the replaced one in its grace. */
export function acceptedSecrets(credentials: NodeCredentials, now: number = Date.now()): string[] {
  const { previous } = credentials;
  return previous && previous.until > now
    ? [credentials.apiSecret, previous.apiSecret]
    : [credentials.apiSecret];
}
