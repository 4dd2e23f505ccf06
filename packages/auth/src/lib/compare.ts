import { timingSafeEqual } from 'node:crypto';

/**
 * Constant-time equality of a computed digest and a hex string a caller sent. Never throws: a
 * value of the wrong length or with non-hex characters is simply unequal, and the time taken does
 * not depend on where the two differ. Hex letters may be in either case.
 */
export function digestEqualsHex(digest: Uint8Array, hex: unknown): boolean {
  if (typeof hex !== 'string' || hex.length !== digest.length * 2 || !HEX.test(hex)) return false;
  return timingSafeEqual(digest, Buffer.from(hex, 'hex'));
}

/**
 * Constant-time equality of two strings, code unit by code unit (UTF-16, so even lone surrogates
 * compare exactly); never throws, unequal lengths are unequal.
 */
export function stringsEqual(expected: string, actual: unknown): boolean {
  if (typeof actual !== 'string') return false;
  const a = Buffer.from(expected, 'utf16le');
  const b = Buffer.from(actual, 'utf16le');
  // Compare equal-length buffers either way so the work done does not reveal the length.
  return timingSafeEqual(a, b.length === a.length ? b : a) && b.length === a.length;
}

const HEX = /^[0-9a-fA-F]*$/;
