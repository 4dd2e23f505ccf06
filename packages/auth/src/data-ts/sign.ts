import { hmacSha256 } from '../lib/hmac.js';
import { type Keyring, primarySecret } from '../lib/keyring.js';
import { currentTimestamp } from '../lib/timestamp.js';

export interface DataTsSignInput {
  /** API_SECRET_KEY (or several, newest first). */
  readonly secret: Keyring;
  /** The data: the exact request body sent. */
  readonly data: string | Uint8Array;
  /** Milliseconds since the epoch as decimal text. Default: now. */
  readonly timestamp?: string;
}

export interface DataTsSignature {
  readonly signature: string;
  readonly timestamp: string;
  readonly headers: { readonly 'X-Signature': string; readonly 'X-Timestamp': string };
}

/** The bytes seed 002 signs: `f"{data}{timestamp}".encode()`. */
export function dataTsMessage(data: string | Uint8Array, timestamp: string): Buffer {
  const head = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  return Buffer.concat([head, Buffer.from(timestamp, 'ascii')]);
}

/**
 * Signs data the seed-002 way: hex HMAC-SHA256 of the data followed by the millisecond timestamp,
 * under API_SECRET_KEY. Sent as X-Signature and X-Timestamp beside the body.
 */
export function signDataTs(input: DataTsSignInput): DataTsSignature {
  const timestamp = input.timestamp ?? currentTimestamp('milliseconds');
  const signature = hmacSha256(
    primarySecret(input.secret, 'API_SECRET_KEY'),
    dataTsMessage(input.data, timestamp),
  ).toString('hex');
  return { signature, timestamp, headers: { 'X-Signature': signature, 'X-Timestamp': timestamp } };
}
