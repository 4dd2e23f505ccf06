/**
 * Pacifica: ed25519 over the compact, key-sorted JSON of `{type, timestamp, expiry_window, data}`,
 * signature in base58 (Pacifica's Python SDK: `sign_message(header, payload, keypair)`).
 *
 * Accepted request data, first match wins:
 * - the seed's shape (section 4.1): `{instruction: {type, ...fields}, nonce, expiry_window?}`;
 * - Pacifica's native message: `{type, timestamp, expiry_window?, data: {...}}`;
 * - the seed's flat example (section 1.1): `{type, ...fields}`, timestamped with the signing time.
 * `expiry_window` defaults to 5000 ms, Pacifica's own default.
 *
 * Pacifica takes the account and signature in the JSON body it receives (`{account, signature,
 * timestamp, expiry_window, ...fields}`) and rebuilds the message itself, so there are no headers.
 */
import {
  createPrivateKey,
  createPublicKey,
  sign as cryptoSign,
  timingSafeEqual,
  type KeyObject,
} from 'node:crypto';
import { base58 } from '@scure/base';
import { ConfigLoadFailedError } from '../errors.js';
import { compactSortedJson, expectObject, invalid, type JsonObject } from './compact-json.js';
import type { AccountCredential, Platform, PreparedKey, SignResult } from './platform.js';

const DEFAULT_EXPIRY_WINDOW_MS = 5000;
const SEED_KEYS = new Set(['instruction', 'nonce', 'expiry_window']);
const NATIVE_KEYS = new Set(['type', 'timestamp', 'expiry_window', 'data']);
/** PKCS#8 DER for an Ed25519 private key is this fixed prefix followed by the 32-byte seed. */
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({});

export const pacifica: Platform = {
  id: 'pacifica',
  keyTypes: ['ed25519'],
  prepare(credential) {
    const { key, publicKey } = loadSolanaSecret(credential);
    return {
      algorithm: 'ed25519',
      publicKey,
      sign(data: unknown, now: Date): SignResult {
        const payload = pacificaMessage(data, now);
        const signature = base58.encode(cryptoSign(null, Buffer.from(payload, 'utf8'), key));
        return {
          signature,
          algorithm: 'ed25519',
          encoding: 'base58',
          publicKey,
          payload,
          headers: NO_HEADERS,
        };
      },
    } satisfies PreparedKey;
  },
};

/** Where each part of the message sits in each accepted request shape, for error messages. */
const SHAPES = {
  seed: { type: 'data.instruction.type', timestamp: 'data.nonce', data: 'data.instruction' },
  native: { type: 'data.type', timestamp: 'data.timestamp', data: 'data.data' },
  flat: { type: 'data.type', timestamp: 'data.timestamp', data: 'data' },
} as const;
type Shape = (typeof SHAPES)[keyof typeof SHAPES];

/** Maps any accepted shape onto Pacifica's message text; errors name the field the client sent. */
function pacificaMessage(value: unknown, now: Date): string {
  const data = expectObject(value, 'data');
  const keys = Object.keys(data);
  if ('instruction' in data) {
    const extra = keys.find((k) => !SEED_KEYS.has(k));
    if (extra !== undefined) throw invalid(`data.${extra}`, 'unexpected beside data.instruction');
    const { type, ...fields } = expectObject(data['instruction'], 'data.instruction');
    return message(SHAPES.seed, type, data['nonce'], data['expiry_window'], fields);
  }
  if ('data' in data && 'timestamp' in data && keys.every((k) => NATIVE_KEYS.has(k))) {
    const fields = expectObject(data['data'], 'data.data');
    return message(SHAPES.native, data['type'], data['timestamp'], data['expiry_window'], fields);
  }
  const { type, ...fields } = data;
  if (type === undefined) {
    throw invalid('data.instruction', 'required (or the native {type, timestamp, data})');
  }
  return message(SHAPES.flat, type, now.getTime(), undefined, fields);
}

function message(shape: Shape, type: unknown, timestamp: unknown, expiryWindow: unknown, fields: JsonObject) {
  if (typeof type !== 'string' || type === '') throw invalid(shape.type, 'expected a non-empty string');
  if (!isMillis(timestamp)) throw invalid(shape.timestamp, 'expected an integer timestamp in milliseconds');
  const expiry_window = expiryWindow ?? DEFAULT_EXPIRY_WINDOW_MS;
  if (!isMillis(expiry_window) || expiry_window === 0) {
    throw invalid('data.expiry_window', 'expected a positive integer number of milliseconds');
  }
  // Two steps only so that an error inside `data` names the field the client sent.
  const body = compactSortedJson(fields, shape.data);
  const header = compactSortedJson({ type, timestamp, expiry_window }, 'data').slice(1, -1);
  // The four keys in code-point order, as sort_keys writes them: data < expiry_window < timestamp < type.
  return `{"data":${body},${header}}`;
}

function isMillis(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/**
 * A Solana-style base58 secret: 64 bytes (seed ‖ public key, the public half checked) or a bare
 * 32-byte seed. It becomes a node:crypto KeyObject, and every scratch copy is zeroed. Errors carry
 * no cause: a base58 decoder's message may quote a character of the secret.
 */
function loadSolanaSecret(credential: AccountCredential): { key: KeyObject; publicKey: string } {
  const fail = (problem: string) =>
    new ConfigLoadFailedError(`pacifica account ${credential.accountId}: privateKey ${problem}`, {
      platformId: credential.platformId,
      accountId: credential.accountId,
      field: 'privateKey',
    });
  const text = credential.secrets['privateKey'];
  if (typeof text !== 'string' || text === '') throw fail('is missing');
  let bytes: Uint8Array;
  try {
    bytes = base58.decode(text.trim());
  } catch {
    throw fail('is not base58');
  }
  const der = Buffer.alloc(PKCS8_ED25519_PREFIX.length + 32);
  try {
    if (bytes.length !== 64 && bytes.length !== 32) throw fail('must decode to 64 or 32 bytes');
    PKCS8_ED25519_PREFIX.copy(der);
    der.set(bytes.subarray(0, 32), PKCS8_ED25519_PREFIX.length);
    const key = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
    const spki = createPublicKey(key).export({ format: 'der', type: 'spki' });
    const publicBytes = spki.subarray(spki.length - 32);
    if (bytes.length === 64 && !timingSafeEqual(publicBytes, bytes.subarray(32))) {
      throw fail('public half does not match its seed');
    }
    return { key, publicKey: base58.encode(publicBytes) };
  } finally {
    bytes.fill(0);
    der.fill(0);
  }
}
