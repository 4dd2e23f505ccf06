/**
 * Binance: a signature over the query string built from `params` in the order given, each name and
 * value percent-encoded per RFC 3986 (what Binance requires since 2026). The client sends
 * `payload + "&signature=" + encodeURIComponent(signature)` with the `X-MBX-APIKEY` header.
 *
 * The account's key type picks a row of KEY_TYPES: `hmac` (default; HMAC-SHA256, hex), `ed25519`
 * or `rsa` (RSASSA-PKCS1-v1_5 with SHA-256), both base64. For the asymmetric types `publicKey` is
 * the SPKI PEM, the text the user registered with Binance; for hmac it is null.
 *
 * Names come in JSON.parse's order, which is the text's order except that integer-like names move
 * first; Binance has none, so "the order given" holds for every real request.
 */
import {
  constants,
  createHmac,
  createPrivateKey,
  createPublicKey,
  createSecretKey,
  sign as cryptoSign,
  type KeyObject,
} from 'node:crypto';
import { ConfigLoadFailedError } from '../errors.js';
import { expectExactNumbers, expectObject, invalid } from './compact-json.js';
import type { AccountCredential, Platform, PreparedKey, SignResult } from './platform.js';

interface BinanceKey {
  readonly algorithm: string;
  readonly encoding: 'hex' | 'base64';
  readonly publicKey: string | null;
  sign(query: string): string;
}

type Secret = (name: string) => string;
type Fail = (field: string, problem: string) => ConfigLoadFailedError;

const KEY_TYPES: Record<string, (secret: Secret, fail: Fail) => BinanceKey> = {
  hmac(secret) {
    const raw = Buffer.from(secret('apiSecret'), 'utf8');
    const key = createSecretKey(raw);
    raw.fill(0);
    return {
      algorithm: 'hmac-sha256',
      encoding: 'hex',
      publicKey: null,
      sign: (query) => createHmac('sha256', key).update(query, 'utf8').digest('hex'),
    };
  },
  ed25519(secret, fail) {
    const key = pemKey(secret('privateKey'), 'ed25519', fail);
    return {
      algorithm: 'ed25519',
      encoding: 'base64',
      publicKey: spkiPem(key),
      sign: (query) => cryptoSign(null, Buffer.from(query, 'utf8'), key).toString('base64'),
    };
  },
  rsa(secret, fail) {
    const key = pemKey(secret('privateKey'), 'rsa', fail);
    if ((key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) {
      throw fail('privateKey', 'RSA key under 2048 bits');
    }
    return {
      algorithm: 'rsa-sha256',
      encoding: 'base64',
      publicKey: spkiPem(key),
      sign: (query) =>
        cryptoSign('sha256', Buffer.from(query, 'utf8'), {
          key,
          padding: constants.RSA_PKCS1_PADDING,
        }).toString('base64'),
    };
  },
};

const DATA_KEYS = new Set(['method', 'endpoint', 'params']);
const METHODS = new Set(['GET', 'POST', 'PUT', 'DELETE']);

export const binance: Platform = {
  id: 'binance',
  keyTypes: Object.keys(KEY_TYPES),
  prepare(credential) {
    const fail = configError(credential);
    const keyType = credential.keyType ?? 'hmac';
    const makeKey = KEY_TYPES[keyType];
    if (makeKey === undefined) throw fail('keyType', `must be one of ${Object.keys(KEY_TYPES).join(', ')}`);
    const secret: Secret = (name) => {
      const value = credential.secrets[name];
      if (typeof value !== 'string' || value === '') throw fail(name, 'is missing');
      return value;
    };
    const apiKey = secret('apiKey');
    // Sent as a header value: visible ASCII only, so it can neither break nor inject a header.
    if (!/^[\x21-\x7e]+$/.test(apiKey)) throw fail('apiKey', 'must be visible ASCII');
    const key = makeKey(secret, fail);
    const headers = Object.freeze({ 'X-MBX-APIKEY': apiKey });

    return {
      algorithm: key.algorithm,
      publicKey: key.publicKey,
      sign(data: unknown): SignResult {
        const payload = queryString(data);
        const { algorithm, encoding, publicKey } = key;
        return { signature: key.sign(payload), algorithm, encoding, publicKey, payload, headers };
      },
    } satisfies PreparedKey;
  },
};

/** Checks `{method, endpoint, params}` and builds the query string from params. */
function queryString(value: unknown): string {
  const data = expectObject(value, 'data');
  const extra = Object.keys(data).find((k) => !DATA_KEYS.has(k));
  if (extra !== undefined) throw invalid(`data.${extra}`, 'unexpected (expected method, endpoint, params)');
  const { method, endpoint } = data;
  if (typeof method !== 'string' || !METHODS.has(method.toUpperCase())) {
    throw invalid('data.method', 'expected GET, POST, PUT or DELETE');
  }
  if (typeof endpoint !== 'string' || !/^\/[\x21-\x3e\x40-\x7e]*$/.test(endpoint)) {
    throw invalid('data.endpoint', 'expected a path such as /api/v3/order (query parameters go in params)');
  }
  const params = expectObject(data['params'], 'data.params');
  return Object.entries(params)
    .map(([name, v]) => {
      const field = `data.params.${name}`;
      if (name === '') throw invalid('data.params', 'a parameter name is empty');
      if (name === 'signature') throw invalid(field, 'is added by the client after signing');
      if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
        throw invalid(field, 'expected a string, number or boolean');
      }
      expectExactNumbers(v, field);
      return `${rfc3986(name, field)}=${rfc3986(String(v), field)}`;
    })
    .join('&');
}

/** encodeURIComponent leaves !'()* alone; RFC 3986 reserves them. Lone surrogates are refused. */
function rfc3986(text: string, field: string): string {
  try {
    return encodeURIComponent(text).replace(
      /[!'()*]/g,
      (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
    );
  } catch {
    throw invalid(field, 'is not well-formed Unicode');
  }
}

function pemKey(pem: string, type: 'ed25519' | 'rsa', fail: Fail): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    throw fail('privateKey', 'is not a readable unencrypted PEM private key'); // no cause: it may quote the key
  }
  if (key.asymmetricKeyType !== type) throw fail('privateKey', `is not an ${type} key`);
  return key;
}

function spkiPem(key: KeyObject): string {
  return createPublicKey(key).export({ format: 'pem', type: 'spki' }).toString();
}

function configError(credential: AccountCredential): Fail {
  return (field, problem) =>
    new ConfigLoadFailedError(`binance account ${credential.accountId}: ${field} ${problem}`, {
      platformId: credential.platformId,
      accountId: credential.accountId,
      field,
    });
}
