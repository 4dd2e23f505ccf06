/**
 * OKX v5: base64 HMAC-SHA256 under the API secret of `timestamp + METHOD + requestPath + body`,
 * sent in the OK-ACCESS-* headers. For GET the query string is part of requestPath and the body is
 * empty; for POST the body is the exact JSON text sent.
 *
 * An object (or array) body is written by JSON.stringify: compact, in the order given, which is what
 * OKX's own documentation and SDK examples do, so a JavaScript client re-serializing the same object
 * gets the same text. Any other client must send `body` from the result as is; a string body is
 * signed and returned untouched for clients that want to control the bytes themselves.
 */
import { createHmac, createSecretKey } from 'node:crypto';
import { ConfigLoadFailedError } from '../errors.js';
import { expectExactNumbers, expectObject, invalid } from './compact-json.js';
import type { Platform, PreparedKey, SignResult } from './platform.js';

const DATA_KEYS = new Set(['method', 'path', 'body', 'timestamp']);
const METHODS = new Set(['GET', 'POST', 'PUT', 'DELETE']);
/** OKX wants ISO 8601 UTC with milliseconds, as `Date.prototype.toISOString` writes it. */
const ISO_MILLIS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export const okx: Platform = {
  id: 'okx',
  keyTypes: ['hmac'],
  prepare(credential) {
    const fail = (field: string, problem: string) =>
      new ConfigLoadFailedError(`okx account ${credential.accountId}: ${field} ${problem}`, {
        platformId: credential.platformId,
        accountId: credential.accountId,
        field,
      });
    if ((credential.keyType ?? 'hmac') !== 'hmac') throw fail('keyType', 'must be hmac');
    const secret = (name: string, pattern: RegExp, problem: string): string => {
      const value = credential.secrets[name];
      if (typeof value !== 'string' || !pattern.test(value)) throw fail(name, problem);
      return value;
    };
    // apiKey and passphrase travel as header values: printable ASCII only.
    const apiKey = secret('apiKey', /^[\x21-\x7e]+$/, 'is missing or not visible ASCII');
    const passphrase = secret(
      'passphrase',
      /^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$/,
      'is missing or not ASCII',
    );
    const raw = Buffer.from(secret('apiSecret', /./s, 'is missing'), 'utf8');
    const key = createSecretKey(raw);
    raw.fill(0);

    return {
      algorithm: 'hmac-sha256',
      publicKey: null,
      sign(data: unknown, now: Date): SignResult {
        const { timestamp, method, path, body } = request(data, now);
        const payload = timestamp + method + path + body;
        const signature = createHmac('sha256', key).update(payload, 'utf8').digest('base64');
        // The passphrase is OKX's third credential factor; the client cannot call OKX without it.
        const headers = {
          'OK-ACCESS-KEY': apiKey,
          'OK-ACCESS-SIGN': signature,
          'OK-ACCESS-TIMESTAMP': timestamp,
          'OK-ACCESS-PASSPHRASE': passphrase,
          'Content-Type': 'application/json',
        };
        return {
          signature,
          algorithm: 'hmac-sha256',
          encoding: 'base64',
          publicKey: null,
          payload,
          headers,
          body,
        };
      },
    } satisfies PreparedKey;
  },
};

/** Checks `{method, path, body?, timestamp?}`; errors name the field. */
function request(
  value: unknown,
  now: Date,
): { timestamp: string; method: string; path: string; body: string } {
  const data = expectObject(value, 'data');
  const extra = Object.keys(data).find((k) => !DATA_KEYS.has(k));
  if (extra !== undefined) {
    throw invalid(`data.${extra}`, 'unexpected (expected method, path, body, timestamp)');
  }

  const method = typeof data['method'] === 'string' ? data['method'].toUpperCase() : '';
  if (!METHODS.has(method)) throw invalid('data.method', 'expected GET, POST, PUT or DELETE');

  const path = data['path'];
  if (typeof path !== 'string' || !/^\/[\x21-\x7e]*$/.test(path)) {
    throw invalid('data.path', 'expected a request path such as /api/v5/account/balance?ccy=BTC');
  }

  const timestamp = data['timestamp'] ?? now.toISOString();
  if (typeof timestamp !== 'string' || !isIsoMillis(timestamp)) {
    throw invalid('data.timestamp', 'expected ISO 8601 UTC with milliseconds, e.g. 2020-12-08T09:08:57.715Z');
  }

  const body = bodyText(data['body']);
  if (method === 'GET' && body !== '') {
    throw invalid('data.body', 'a GET request has no body; put its parameters in the query of data.path');
  }
  return { timestamp, method, path, body };
}

/** The body exactly as it will be sent: none, a string as is, or an object/array as JSON.stringify writes it. */
function bodyText(body: unknown): string {
  if (body === undefined) return '';
  if (typeof body === 'object' && body !== null) {
    expectExactNumbers(body, 'data.body');
    return JSON.stringify(body);
  }
  if (typeof body !== 'string') throw invalid('data.body', 'expected a JSON object, an array or a string');
  // Lone surrogates have no UTF-8 form: what the client sent would not be what was signed.
  if (/\p{Cs}/u.test(body)) throw invalid('data.body', 'is not well-formed Unicode');
  return body;
}

/** The exact layout, and a real instant: it must survive a round trip through Date. */
function isIsoMillis(text: string): boolean {
  if (!ISO_MILLIS.test(text)) return false;
  const time = Date.parse(text);
  return !Number.isNaN(time) && new Date(time).toISOString() === text;
}
