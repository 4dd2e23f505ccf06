import { AlgorithmNotAllowedError } from '../errors.js';
import { currentTimestamp } from '../lib/timestamp.js';
import { TEM_ALGORITHMS, temAlgorithmName, temParams } from './algorithms.js';
import { formatTemToken } from './header.js';

export interface TemSignInput {
  readonly accessKey: string;
  readonly secretKey: string;
  /** L0.PLAINTEXT (or L0.PAINTEXT), L0.SHA1, L3.SHA1, L3.SHA256 or L3.HMAC-SHA256. */
  readonly algorithm: string;
  readonly method: string;
  /** The request path with its query string, as sent (`/api/v1/nodes?page=2`). */
  readonly url: string;
  /** The exact body text sent, for POST and PUT. */
  readonly body?: string;
  /** Unix seconds as decimal text. Default: now. */
  readonly timestamp?: string;
}

export interface TemSignature {
  readonly stringToSign: string;
  readonly signature: string;
  readonly token: string;
  readonly headers: { readonly Authorization: string };
}

/** Signs an OpenAPI request in seed 003's TEM-AUTH scheme. */
export function signTem(input: TemSignInput): TemSignature {
  const name = temAlgorithmName(input.algorithm);
  if (name === undefined) throw new AlgorithmNotAllowedError('algorithm: unknown TEM algorithm');
  const algorithm = TEM_ALGORITHMS[name];
  const method = input.method.toUpperCase();
  const time = algorithm.level === 3 ? (input.timestamp ?? currentTimestamp('seconds')) : '';
  const request = {
    accessKey: input.accessKey,
    secretKey: input.secretKey,
    time,
    method,
    url: input.url,
    params: temParams(method, input.body),
  };
  const signature = algorithm.sign(request);
  const token = formatTemToken(input.accessKey, signature, algorithm.level === 3 ? time : undefined);
  // The string to sign of an L0 algorithm is the secret itself: never hand it back.
  const stringToSign = algorithm.level === 3 ? algorithm.stringToSign(request) : '';
  return { stringToSign, signature, token, headers: { Authorization: `Bearer ${token}` } };
}
