import { hkdfSync } from 'node:crypto';
import { DecryptionFailedError } from '../errors.js';
import { Fernet } from '../fernet/index.js';
import { type Keyring, keyringBytes } from '../lib/keyring.js';

/** The longest grace period a node secret rotation gives the replaced secret: 7 days. */
export const MAX_SECRET_GRACE_SECONDS = 604_800;

/** Fixed forever: a worker in another language derives the same key. */
const INFO = 'signet node secret rotation v1';

/**
 * The Fernet key that seals a node's next api_secret under its current one: HKDF-SHA256 of the
 * current secret's bytes, no salt, info `signet node secret rotation v1`, 32 bytes. In Python:
 *
 *     HKDF(hashes.SHA256(), 32, salt=None, info=b"signet node secret rotation v1").derive(current)
 */
function sealKey(secret: Buffer): string {
  return Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), INFO, 32)).toString('base64url') + '=';
}

/**
 * A node's next api_secret as it travels to the worker during a rotation: a Fernet token under a
 * key derived from the secret the worker holds now, so the new secret is never readable in the body
 * (or a log of it) by anyone who does not hold the current one.
 */
export function sealNodeSecret(next: string, current: Keyring): string {
  return new Fernet(sealKey(keyringBytes(current, 'current')[0] as Buffer)).encrypt(next);
}

/**
 * The next api_secret from a sealed token, trying each of the secrets the worker holds.
 *
 * @throws {DecryptionFailedError} when none of them opens it.
 */
export function openNodeSecret(sealed: string, held: Keyring): string {
  const keys = keyringBytes(held, 'held').map(sealKey);
  const opened = new Fernet(keys).decryptText(sealed);
  if (opened.length === 0) throw new DecryptionFailedError('the sealed secret is empty');
  return opened;
}
