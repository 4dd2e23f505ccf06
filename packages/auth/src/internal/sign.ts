import { randomBytes } from 'node:crypto';
import { hmacSha256 } from '../lib/hmac.js';
import { type Keyring, primarySecret } from '../lib/keyring.js';
import { currentTimestamp } from '../lib/timestamp.js';

export interface InternalSignInput {
  readonly secret: Keyring;
  /** Unix seconds as decimal text. Default: now. */
  readonly timestamp?: string;
  /** A fresh random string per request. Default: 16 random bytes in hex. */
  readonly nonce?: string;
}

export interface InternalSignature {
  readonly stringToSign: string;
  readonly signature: string;
  readonly headers: {
    readonly 'X-Signature': string;
    readonly 'X-Timestamp': string;
    readonly 'X-Nonce': string;
  };
}

/** The seed-001 string to sign: the pairs sorted by key, as `key=value` joined with `&`. */
export function internalStringToSign(timestamp: string, nonce: string): string {
  return `nonce=${nonce}&timestamp=${timestamp}`;
}

/** Signs a `/v1/internal` request (seed 001): hex HMAC-SHA256 of `nonce=<n>&timestamp=<t>`. */
export function signInternal(input: InternalSignInput): InternalSignature {
  const timestamp = input.timestamp ?? currentTimestamp('seconds');
  const nonce = input.nonce ?? randomBytes(16).toString('hex');
  const stringToSign = internalStringToSign(timestamp, nonce);
  const signature = hmacSha256(primarySecret(input.secret), stringToSign).toString('hex');
  return {
    stringToSign,
    signature,
    headers: { 'X-Signature': signature, 'X-Timestamp': timestamp, 'X-Nonce': nonce },
  };
}
