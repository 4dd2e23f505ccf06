import { hmacSha256 } from '../lib/hmac.js';
import { sha1Hex, sha256Hex } from '../lib/digest.js';

/** What a TEM signature covers. `params` is the raw body for POST/PUT and empty otherwise. */
export interface TemRequest {
  readonly accessKey: string;
  readonly secretKey: string;
  readonly time: string;
  readonly method: string;
  readonly url: string;
  readonly params: string;
}

export interface TemAlgorithm {
  /** 0: the header carries the secret (or a hash of it) with no freshness. 3: signs the request and time. */
  readonly level: 0 | 3;
  readonly stringToSign: (request: TemRequest) => string;
  readonly sign: (request: TemRequest) => string;
}

/** Seed 003's composition: `ak:<AK>|sk:<SK>|time:<t>|method:<METHOD>|url:<path>|params:<body>`. */
export function temPlaintext(r: TemRequest): string {
  return `ak:${r.accessKey}|sk:${r.secretKey}|time:${r.time}|method:${r.method}|url:${r.url}|params:${r.params}`;
}

/** Signet's HMAC variant: the same fields without the secret, keyed by it instead. */
function temHmacMessage(r: TemRequest): string {
  return `ak:${r.accessKey}|time:${r.time}|method:${r.method}|url:${r.url}|params:${r.params}`;
}

const secretOnly = (r: TemRequest): string => r.secretKey;

/**
 * Every algorithm is a row; the key's algorithm, fixed when the key is created, picks the row.
 * Frozen: a verifier's table must not be changeable by whoever imports it.
 */
export const TEM_ALGORITHMS = deepFreeze({
  'L0.PLAINTEXT': { level: 0, stringToSign: secretOnly, sign: secretOnly },
  'L0.SHA1': { level: 0, stringToSign: secretOnly, sign: (r) => sha1Hex(r.secretKey) },
  'L3.SHA1': { level: 3, stringToSign: temPlaintext, sign: (r) => sha1Hex(temPlaintext(r)) },
  'L3.SHA256': { level: 3, stringToSign: temPlaintext, sign: (r) => sha256Hex(temPlaintext(r)) },
  'L3.HMAC-SHA256': {
    level: 3,
    stringToSign: temHmacMessage,
    sign: (r) => hmacSha256(Buffer.from(r.secretKey, 'utf8'), temHmacMessage(r)).toString('hex'),
  },
} as const satisfies Record<string, TemAlgorithm>);

export type TemAlgorithmName = keyof typeof TEM_ALGORITHMS;

/** Other spellings in use: the seed itself writes L0.PAINTEXT. */
const ALIASES: Readonly<Record<string, TemAlgorithmName>> = { 'L0.PAINTEXT': 'L0.PLAINTEXT' };

/** The canonical name of an algorithm, or undefined when unknown. */
export function temAlgorithmName(name: string): TemAlgorithmName | undefined {
  if (Object.hasOwn(TEM_ALGORITHMS, name)) return name as TemAlgorithmName;
  return ALIASES[name];
}

/** What each method means to the scheme: its body is signed as `params`, and it changes state. */
const METHODS: Readonly<Record<string, { readonly signsBody: boolean; readonly changesState: boolean }>> =
  Object.freeze({
    GET: { signsBody: false, changesState: false },
    HEAD: { signsBody: false, changesState: false },
    OPTIONS: { signsBody: false, changesState: false },
    DELETE: { signsBody: false, changesState: true },
    POST: { signsBody: true, changesState: true },
    PUT: { signsBody: true, changesState: true },
    PATCH: { signsBody: true, changesState: true },
  });

/** `params` for a method: the raw body for POST, PUT, PATCH; empty for GET, DELETE and the rest. */
export function temParams(method: string, body: string | undefined): string {
  return METHODS[method]?.signsBody ? (body ?? '') : '';
}

/** Whether a request with this method changes state (and so must not be replayed). */
export function temChangesState(method: string): boolean {
  return METHODS[method]?.changesState ?? true;
}

function deepFreeze<T extends Record<string, object>>(table: T): T {
  for (const row of Object.values(table)) Object.freeze(row);
  return Object.freeze(table);
}
