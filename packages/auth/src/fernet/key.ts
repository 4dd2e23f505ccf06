import { createHash, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { KeyInvalidError } from '../errors.js';

/**
 * A Fernet key as Python's `Fernet.generate_key()` writes it: 32 bytes in urlsafe base64 with its
 * one `=` of padding, 44 characters. Python's `Fernet(key)` also takes the standard `+/` alphabet
 * (what `openssl rand -base64 32` prints), so Signet does too, normalizing it to urlsafe.
 */
const FERNET_KEY = /^[A-Za-z0-9_+/-]{43}=$/;

function urlsafe(key: string): string {
  return key.replace(/\+/g, '-').replace(/\//g, '_');
}

/** A new random Fernet key, in the same form as Python's `Fernet.generate_key().decode()`. */
export function generateFernetKey(): string {
  const bytes = randomBytes(32);
  try {
    return encodeKey(bytes);
  } finally {
    bytes.fill(0);
  }
}

/**
 * A Fernet key for a configured string. A valid Fernet key (44 characters of urlsafe base64, with
 * padding, decoding to 32 bytes) is returned as it is; any other string is a passphrase, and the key
 * is the urlsafe base64 of its UTF-8 bytes' SHA-256 digest. In Python:
 *
 *     base64.urlsafe_b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode()
 *
 * A single SHA-256 does not slow down guessing: a passphrase must itself be long and random.
 *
 * @throws {KeyInvalidError} when `secret` is not a string or is empty.
 */
export function fernetKeyFromString(secret: string): string {
  if (typeof secret !== 'string') throw new KeyInvalidError('secret: expected a string');
  if (secret.length === 0) throw new KeyInvalidError('secret: must not be empty');
  if (FERNET_KEY.test(secret)) return urlsafe(secret);
  // Derivation documented above; users reproduce it in Python, so it must never change.
  const text = Buffer.from(secret, 'utf8');
  const digest = createHash('sha256').update(text).digest();
  try {
    return encodeKey(digest);
  } finally {
    text.fill(0);
    digest.fill(0);
  }
}

/** The two halves of a Fernet key, held as KeyObjects so no copy stays on the JavaScript heap. */
export interface FernetKeyObjects {
  readonly signing: KeyObject;
  readonly encryption: KeyObject;
}

/** Splits a Fernet key into its signing (first 16 bytes) and encryption (last 16) keys. */
export function fernetKeyObjects(key: unknown, name: string): FernetKeyObjects {
  if (typeof key !== 'string') throw new KeyInvalidError(`${name}: expected a Fernet key string`);
  if (!FERNET_KEY.test(key)) {
    throw new KeyInvalidError(`${name}: not a Fernet key (44 characters of base64 with padding)`);
  }
  const bytes = Buffer.from(urlsafe(key), 'base64url');
  try {
    return {
      signing: createSecretKey(bytes.subarray(0, 16)),
      encryption: createSecretKey(bytes.subarray(16)),
    };
  } finally {
    bytes.fill(0);
  }
}

function encodeKey(bytes: Buffer): string {
  return `${bytes.toString('base64url')}=`; // 32 bytes always take exactly one `=` of padding
}
