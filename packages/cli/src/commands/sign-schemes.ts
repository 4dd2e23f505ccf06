import {
  canonicalizeDocument,
  signDataTs,
  signInternal,
  signTem,
  signXray,
  temAlgorithmName,
  TEM_ALGORITHMS,
} from '@signet/auth';
import { UsageError } from '../lib/usage-error.js';

export interface SignRequest {
  readonly secret: string | undefined;
  readonly method: string | undefined;
  readonly url: string | undefined;
  readonly body: Buffer | undefined;
  readonly timestamp: string | undefined;
  readonly nonce: string | undefined;
  readonly accessKey: string | undefined;
  readonly algorithm: string | undefined;
  readonly now: number;
}

/** What one scheme produced, in the shape every output format reads. */
export interface SignedRequest {
  readonly method: string;
  readonly url: string | undefined;
  readonly body: string | undefined;
  /** Exactly what was hashed or MACed; `redacted` has the secret replaced when it is part of it. */
  readonly stringToSign: string;
  readonly redactedStringToSign: string;
  readonly signature: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly notes: readonly string[];
  /** The signature is the secret itself (L0.PLAINTEXT): shown only with --reveal. */
  readonly signatureIsSecret?: boolean;
}

type Scheme = (request: SignRequest) => SignedRequest;

function required(value: string | undefined, what: string): string {
  if (value === undefined || value === '') throw new UsageError(`${what} is required for this scheme`);
  return value;
}

function age(timestampMs: number, now: number, maxAgeSeconds = 300): string {
  const seconds = Math.round((now - timestampMs) / 1000);
  const where = seconds >= 0 ? `${seconds} s ago` : `${-seconds} s in the future`;
  const verdict = Math.abs(seconds) <= maxAgeSeconds ? 'inside' : 'OUTSIDE';
  return `timestamp is ${where}: ${verdict} the default ${maxAgeSeconds} s window`;
}

const xray: Scheme = (r) => {
  if (r.timestamp !== undefined)
    throw new UsageError('xray carries its timestamp inside the body; put "timestamp" in --body');
  const body = r.body?.toString('utf8') ?? JSON.stringify({ timestamp: Math.floor(r.now / 1000) });
  const signed = signXray(body, required(r.secret, '--secret (the node api_secret)'));
  const timestamp = canonicalizeDocument(body, new Set(['timestamp'])).members.get('timestamp');
  return {
    method: r.method ?? 'POST',
    url: r.url,
    body,
    stringToSign: signed.stringToSign,
    redactedStringToSign: signed.stringToSign,
    signature: signed.signature,
    headers: signed.headers,
    notes: [
      'signed: Python json.dumps(body, sort_keys=True) of the body, HMAC-SHA256 hex (seed 000)',
      'send the body bytes as shown; layout and key order do not matter, but 1 and 1.0 are different bodies',
      timestamp && /^\d+$/.test(timestamp)
        ? age(Number(timestamp) * 1000, r.now)
        : 'the body has no top-level "timestamp": the worker API refuses it',
    ],
  };
};

const internal: Scheme = (r) => {
  const signed = signInternal({
    secret: required(r.secret, '--secret or API_SECRET_KEY'),
    ...(r.timestamp === undefined ? {} : { timestamp: r.timestamp }),
    ...(r.nonce === undefined ? {} : { nonce: r.nonce }),
  });
  return {
    method: r.method ?? 'GET',
    url: r.url,
    body: r.body?.toString('utf8'),
    stringToSign: signed.stringToSign,
    redactedStringToSign: signed.stringToSign,
    signature: signed.signature,
    headers: signed.headers,
    notes: [
      'signed: the pairs nonce and timestamp sorted by key as key=value joined by &, HMAC-SHA256 hex (seed 001)',
      'each nonce is accepted once; the body and path are not signed by this scheme',
      age(Number(signed.headers['X-Timestamp']) * 1000, r.now),
    ],
  };
};

const dataTs: Scheme = (r) => {
  const data = r.body ?? Buffer.alloc(0);
  const signed = signDataTs({
    secret: required(r.secret, '--secret or API_SECRET_KEY'),
    data,
    ...(r.timestamp === undefined ? {} : { timestamp: r.timestamp }),
  });
  const stringToSign = data.toString('utf8') + signed.timestamp;
  return {
    method: r.method ?? 'POST',
    url: r.url,
    body: data.toString('utf8'),
    stringToSign,
    redactedStringToSign: stringToSign,
    signature: signed.signature,
    headers: { 'Content-Type': 'application/json', ...signed.headers },
    notes: [
      'signed: the exact body bytes followed by the millisecond timestamp, HMAC-SHA256 hex under API_SECRET_KEY (seed 002)',
      age(Number(signed.timestamp), r.now, Number(process.env.MAX_REQUEST_AGE_SECONDS ?? 300)),
    ],
  };
};

const tem: Scheme = (r) => {
  const algorithm = r.algorithm ?? 'L3.SHA256';
  const name = temAlgorithmName(algorithm);
  if (name === undefined)
    throw new UsageError(`--algorithm must be one of ${Object.keys(TEM_ALGORITHMS).join(', ')}`);
  const secretKey = required(r.secret, '--secret (the secret key)');
  const url = required(r.url, '--url (the request path, or a full URL)');
  const method = (r.method ?? 'GET').toUpperCase();
  const path = requestTarget(url);
  const body = r.body?.toString('utf8');
  const signed = signTem({
    accessKey: required(r.accessKey, '--ak (the access key)'),
    secretKey,
    algorithm: name,
    method,
    url: path,
    ...(body === undefined ? {} : { body }),
    ...(r.timestamp === undefined ? {} : { timestamp: r.timestamp }),
  });
  const level = TEM_ALGORITHMS[name].level;
  return {
    method,
    url,
    body,
    stringToSign: signed.stringToSign,
    redactedStringToSign: signed.stringToSign.replace(`|sk:${secretKey}|`, '|sk:<secret key>|'),
    signature: signed.signature,
    headers: { ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...signed.headers },
    signatureIsSecret: name === 'L0.PLAINTEXT',
    notes:
      level === 0
        ? [
            `${name} sends ${name === 'L0.SHA1' ? 'SHA-1 of the secret key' : 'the secret key itself'} and never expires (seed 003)`,
            'Signet refuses L0 keys unless the operator enables them; prefer L3.SHA256 or L3.HMAC-SHA256',
          ]
        : [
            `signed: ${name} over ak|sk|time|method|url|params, url = ${path}, params = ${signed.stringToSign.endsWith('|params:') ? 'empty' : 'the exact body'} (seed 003)`,
            age(Number(signed.token.split(':').at(-1)) * 1000, r.now),
          ],
  };
};

/**
 * The request target a client sends for a URL: path and query, no fragment (what curl and fetch
 * send, and what a server sees). Seed 003's GetUrlRelativePath gives the same for ordinary URLs.
 */
function requestTarget(url: string): string {
  if (url.startsWith('/')) return url;
  try {
    const parsed = new URL(url);
    return parsed.pathname + parsed.search;
  } catch {
    throw new UsageError('--url must be a path starting with / or an absolute URL');
  }
}

/** Every scheme `signet sign` knows, one row each. */
export const SIGN_SCHEMES: Readonly<Record<string, Scheme>> = { xray, internal, 'data-ts': dataTs, tem };
