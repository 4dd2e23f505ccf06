import { createCipheriv, createDecipheriv, createHmac, randomBytes, type KeyObject } from 'node:crypto';
import { DecryptionFailedError, KeyInvalidError, TokenExpiredError } from '../errors.js';
import { digestEqualsHex } from '../lib/compare.js';
import { fernetKeyObjects, type FernetKeyObjects } from './key.js';

// Token layout (Fernet spec): version | timestamp (u64 BE seconds) | IV | ciphertext | HMAC-SHA256.
const VERSION = 0x80;
const HEADER = 1 + 8 + 16;
const MAC = 32;
const BLOCK = 16;
/** Seconds a token's timestamp may lie in the future when a TTL is checked, as Python's `_MAX_CLOCK_SKEW`. */
const MAX_CLOCK_SKEW = 60;
const MAX_DATE_MS = 8.64e15;

export interface FernetEncryptOptions {
  /** The time to record in the token, in milliseconds since the epoch; defaults to `Date.now()`. */
  now?: number;
  /** A fixed 16-byte IV, for known-answer tests only; defaults to 16 random bytes. */
  iv?: Uint8Array;
}

export interface FernetDecryptOptions {
  /** Reject tokens older than this many seconds (and more than 60 s in the future), as Python's `ttl`. */
  ttlSeconds?: number;
  /** The current time in milliseconds since the epoch; defaults to `Date.now()`. */
  now?: number;
}

/**
 * Fernet symmetric encryption, interoperable with Python's `cryptography.fernet`. Given a list of keys
 * it behaves like `MultiFernet`: encrypts with the first key, decrypts with whichever key matches.
 */
export class Fernet {
  readonly #keys: readonly FernetKeyObjects[];

  /** @throws {KeyInvalidError} naming the key that is not a Fernet key, or when the list is empty. */
  constructor(key: string | readonly string[]) {
    const list: readonly unknown[] = Array.isArray(key) ? key : [key];
    if (list.length === 0) throw new KeyInvalidError('key: the list of keys is empty');
    this.#keys = list.map((k, i) => fernetKeyObjects(k, Array.isArray(key) ? `key[${i}]` : 'key'));
  }

  encrypt(plaintext: string | Uint8Array, options: FernetEncryptOptions = {}): string {
    const iv = options.iv === undefined ? randomBytes(16) : checkIv(options.iv);
    const header = Buffer.alloc(HEADER);
    header[0] = VERSION;
    header.writeBigUInt64BE(BigInt(unixSeconds(options.now, 'options.now')), 1);
    header.set(iv, 9);
    const { signing, encryption } = this.#keys[0] as FernetKeyObjects;
    const data = plaintextBytes(plaintext);
    try {
      const cipher = createCipheriv('aes-128-cbc', encryption, iv); // PKCS7 padding is the default
      const body = Buffer.concat([header, cipher.update(data), cipher.final()]);
      return encodeToken(Buffer.concat([body, hmac(signing, body)]));
    } finally {
      if (typeof plaintext === 'string') data.fill(0); // our own copy of the plaintext
    }
  }

  /**
   * The plaintext bytes of an authentic token. The HMAC is checked (in constant time) before anything
   * else is trusted; only then the TTL and the decryption.
   *
   * @throws {TokenExpiredError} when `ttlSeconds` is given and the authentic token is older.
   * @throws {DecryptionFailedError} for any other failure; the message never includes the token.
   */
  decrypt(token: string, options: FernetDecryptOptions = {}): Uint8Array {
    const ttl = options.ttlSeconds === undefined ? undefined : checkTtl(options.ttlSeconds);
    const now = unixSeconds(options.now, 'options.now');
    const bytes = decodeToken(token);
    const body = bytes.subarray(0, -MAC);
    const macHex = bytes.subarray(-MAC).toString('hex');
    const key = this.#keys.find((k) => digestEqualsHex(hmac(k.signing, body), macHex));
    if (key === undefined) throw failed();
    if (ttl !== undefined) {
      // Python's checks; a timestamp above 2^53 stays huge as a Number, so the comparisons hold.
      const timestamp = Number(bytes.readBigUInt64BE(1));
      if (timestamp + ttl < now) {
        throw new TokenExpiredError('the Fernet token is older than its time-to-live');
      }
      if (now + MAX_CLOCK_SKEW < timestamp) throw failed();
    }
    const decipher = createDecipheriv('aes-128-cbc', key.encryption, bytes.subarray(9, HEADER));
    const head = decipher.update(body.subarray(HEADER));
    try {
      const tail = decipher.final();
      // A buffer of its own (Buffer.concat may share the pool), so the caller can zero it.
      const plaintext = new Uint8Array(head.length + tail.length);
      plaintext.set(head);
      plaintext.set(tail, head.length);
      tail.fill(0);
      return plaintext;
    } catch (cause) {
      throw failed(cause); // bad padding under an authentic MAC: only a key holder can cause this
    } finally {
      head.fill(0);
    }
  }

  /**
   * Python's `MultiFernet.rotate`: the same plaintext and timestamp, encrypted again under the first
   * key. `null` when the token is already under the first key, so a re-encryption that was
   * interrupted can run again and touch only what is left.
   *
   * @throws {DecryptionFailedError} when no key opens the token.
   */
  rotate(token: string): string | null {
    const bytes = decodeToken(token);
    const body = bytes.subarray(0, -MAC);
    const primary = this.#keys[0] as FernetKeyObjects;
    if (digestEqualsHex(hmac(primary.signing, body), bytes.subarray(-MAC).toString('hex'))) return null;
    const plaintext = this.decrypt(token);
    try {
      const seconds = Number(bytes.readBigUInt64BE(1));
      return this.encrypt(plaintext, { now: seconds * 1000 });
    } finally {
      plaintext.fill(0);
    }
  }

  /** Like `decrypt`, decoded as strict UTF-8 (a byte-order mark is kept, as Python's `.decode()` does). */
  decryptText(token: string, options: FernetDecryptOptions = {}): string {
    const bytes = this.decrypt(token, options);
    try {
      return UTF8.decode(bytes);
    } catch (cause) {
      throw new DecryptionFailedError('the decrypted Fernet payload is not valid UTF-8', { cause });
    } finally {
      bytes.fill(0);
    }
  }
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const URLSAFE_B64 = /^[A-Za-z0-9_-]*={0,2}$/;

function failed(cause?: unknown): DecryptionFailedError {
  return new DecryptionFailedError(
    'the Fernet token is invalid',
    cause === undefined ? undefined : { cause },
  );
}

function hmac(key: KeyObject, data: Uint8Array): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

function encodeToken(bytes: Buffer): string {
  return bytes.toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
}

/** Strict: urlsafe alphabet, `=` padding to a multiple of 4, canonical bits, whole-block layout. */
function decodeToken(token: unknown): Buffer {
  if (typeof token !== 'string') throw new TypeError('token: expected a string');
  if (token.length % 4 !== 0 || !URLSAFE_B64.test(token)) throw failed();
  const bytes = Buffer.from(token, 'base64url');
  // Re-encoding must give the same text: no second spelling of one token is accepted.
  if (encodeToken(bytes) !== token) throw failed();
  const ciphertext = bytes.length - HEADER - MAC;
  if (bytes[0] !== VERSION || ciphertext < BLOCK || ciphertext % BLOCK !== 0) throw failed();
  return bytes;
}

function plaintextBytes(plaintext: unknown): Buffer {
  if (typeof plaintext === 'string') return Buffer.from(plaintext, 'utf8');
  if (plaintext instanceof Uint8Array)
    return Buffer.from(plaintext.buffer, plaintext.byteOffset, plaintext.byteLength);
  throw new TypeError('plaintext: expected a string or Uint8Array');
}

function checkIv(iv: unknown): Uint8Array {
  if (!(iv instanceof Uint8Array) || iv.length !== 16) throw new TypeError('options.iv: expected 16 bytes');
  return iv;
}

function checkTtl(ttl: unknown): number {
  if (typeof ttl !== 'number' || !Number.isFinite(ttl) || ttl < 0) {
    throw new RangeError('options.ttlSeconds: expected a non-negative number of seconds');
  }
  return ttl;
}

/** Whole seconds since the epoch, rounded down as Python's `int(time.time())`. */
function unixSeconds(nowMs: unknown, name: string): number {
  if (nowMs === undefined) return Math.floor(Date.now() / 1000);
  if (typeof nowMs !== 'number' || !Number.isFinite(nowMs) || nowMs < 0 || nowMs > MAX_DATE_MS) {
    throw new RangeError(`${name}: expected milliseconds since the epoch`);
  }
  return Math.floor(nowMs / 1000);
}
