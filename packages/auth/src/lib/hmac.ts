import { createHmac } from 'node:crypto';
import { digestEqualsHex } from './compare.js';

export function hmacSha256(key: Uint8Array, message: string | Uint8Array): Buffer {
  return createHmac('sha256', key).update(message).digest();
}

/** Index of the first key whose HMAC-SHA256 of `message` equals the hex `signature`, or -1. */
export function matchHmacHex(
  keys: readonly Uint8Array[],
  message: string | Uint8Array,
  signature: unknown,
): number {
  for (let i = 0; i < keys.length; i++) {
    if (digestEqualsHex(hmacSha256(keys[i] as Uint8Array, message), signature)) return i;
  }
  return -1;
}
