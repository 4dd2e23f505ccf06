import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Password hashing with scrypt (memory-hard: 2^15 × 8 × 128 bytes = 32 MiB per hash), encoded as
 * `scrypt$ln=15,r=8,p=1$<salt>$<hash>` with unpadded standard base64, the parameters written out so
 * that they can be raised later and old hashes still verify.
 */
const LN = 15;
const R = 8;
const P = 1;
const SALT_BYTES = 16;
const KEY_BYTES = 32;

// What an encoding may ask for when it is verified: enough for stronger settings, not for a
// stored value to make one check take gigabytes.
const MAX_MEMORY = 256 * 1024 * 1024;
const ENCODED =
  /^scrypt\$ln=([0-9]{1,2}),r=([0-9]{1,2}),p=([0-9]{1,2})\$([A-Za-z0-9+/]{22,})\$([A-Za-z0-9+/]{22,88})$/;

/** The scrypt hash of `password`, with a fresh 16-byte salt. */
export async function hashPassword(password: string): Promise<string> {
  if (typeof password !== 'string') throw new TypeError('password: expected a string');
  const salt = randomBytes(SALT_BYTES);
  const hash = await derive(password, salt, KEY_BYTES, LN, R, P);
  return `scrypt$ln=${LN},r=${R},p=${P}$${unpadded(salt)}$${unpadded(hash)}`;
}

/**
 * Whether `password` matches `encoded`, compared in constant time. False, never an error, for an
 * encoding that is malformed or asks for parameters outside the accepted range.
 */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  if (typeof password !== 'string' || typeof encoded !== 'string') return false;
  const match = ENCODED.exec(encoded);
  if (match === null) return false;
  const [ln, r, p] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (ln < 1 || r < 1 || p < 1 || p > 16 || memoryOf(ln, r) > MAX_MEMORY) return false;
  const salt = Buffer.from(match[4] as string, 'base64');
  const expected = Buffer.from(match[5] as string, 'base64');
  if (expected.length < 16) return false;
  try {
    const actual = await derive(password, salt, expected.length, ln, r, p);
    return timingSafeEqual(actual, expected);
  } catch {
    return false;
  }
}

function derive(password: string, salt: Buffer, keylen: number, ln: number, r: number, p: number) {
  const options: ScryptOptions = { N: 2 ** ln, r, p, maxmem: memoryOf(ln, r) * 2 };
  return new Promise<Buffer>((resolve, reject) =>
    scrypt(password, salt, keylen, options, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

const memoryOf = (ln: number, r: number): number => 128 * r * 2 ** ln;

const unpadded = (bytes: Buffer): string => bytes.toString('base64').replace(/=+$/, '');
