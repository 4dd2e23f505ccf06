import { KeyInvalidError } from '../errors.js';

/** A secret as given by a caller: text (used as its UTF-8 bytes, like Python's `secret.encode()`) or bytes. */
export type Secret = string | Uint8Array;

/**
 * Several active secrets, for rotation: sign with the first (the primary), verify against each.
 * A single secret is a keyring of one.
 */
export type Keyring = Secret | readonly Secret[];

/** Normalizes a keyring to a non-empty list of byte strings, naming the argument when it is unusable. */
export function keyringBytes(keyring: Keyring, name = 'secret'): Buffer[] {
  const list = Array.isArray(keyring) ? (keyring as readonly Secret[]) : [keyring as Secret];
  if (list.length === 0) throw new KeyInvalidError(`${name}: the keyring is empty`);
  return list.map((secret, i) => secretBytes(secret, list.length > 1 ? `${name}[${i}]` : name));
}

export function secretBytes(secret: Secret, name = 'secret'): Buffer {
  if (typeof secret === 'string') {
    if (secret.length === 0) throw new KeyInvalidError(`${name}: must not be empty`);
    return Buffer.from(secret, 'utf8');
  }
  if (secret instanceof Uint8Array) {
    if (secret.length === 0) throw new KeyInvalidError(`${name}: must not be empty`);
    return Buffer.from(secret.buffer, secret.byteOffset, secret.byteLength);
  }
  throw new KeyInvalidError(`${name}: expected a string or Uint8Array`);
}

/** The primary (signing) secret of a keyring. */
export function primarySecret(keyring: Keyring, name = 'secret'): Buffer {
  return keyringBytes(keyring, name)[0] as Buffer;
}
