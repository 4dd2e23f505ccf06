import { MalformedError, NonceReplayedError, SignatureMismatchError } from '../errors.js';
import { type HeaderSource, headerValue } from '../lib/headers.js';
import { matchHmacHex } from '../lib/hmac.js';
import { type Keyring, keyringBytes } from '../lib/keyring.js';
import { claimOnce } from '../lib/replay-window.js';
import { checkTimestamp, type FreshnessOptions, maxAgeSecondsOf } from '../lib/timestamp.js';
import type { ReplayStore } from '../replay/store.js';
import { internalStringToSign } from './sign.js';

export interface InternalVerifyOptions extends FreshnessOptions {
  /** The pre-shared key(s), newest first. */
  readonly secret: Keyring;
  /** Where used nonces are claimed; required, since the nonce is this scheme's replay defence. */
  readonly replay: ReplayStore;
  /** Namespace of the nonces in the store. Default `internal:`. */
  readonly nonceNamespace?: string;
}

export interface InternalVerified {
  readonly timestampMs: number;
  readonly nonce: string;
  readonly keyIndex: number;
}

// Visible ASCII without `&`, so the string to sign stays unambiguous.
const NONCE = /^[\x21-\x25\x27-\x7e]{1,128}$/;

/**
 * Verifies a `/v1/internal` request (seed 001) from its X-Signature, X-Timestamp (unix seconds)
 * and X-Nonce headers. The nonce is claimed only once the signature is valid, so forged requests
 * cannot use up nonces.
 */
export async function verifyInternal(
  headers: HeaderSource,
  options: InternalVerifyOptions,
): Promise<InternalVerified> {
  const signature = headerValue(headers, 'X-Signature');
  const timestamp = headerValue(headers, 'X-Timestamp');
  const nonce = headerValue(headers, 'X-Nonce');
  if (signature === undefined) throw new SignatureMismatchError('X-Signature header is missing');
  if (nonce === undefined || !NONCE.test(nonce)) {
    throw new MalformedError('X-Nonce must be 1 to 128 visible ASCII characters other than &');
  }
  const timestampMs = checkTimestamp(timestamp, 'seconds', options);

  const keyIndex = matchHmacHex(
    keyringBytes(options.secret),
    internalStringToSign(timestamp as string, nonce),
    signature,
  );
  if (keyIndex < 0) throw new SignatureMismatchError('X-Signature does not match');

  const now = options.now ?? Date.now;
  await claimOnce(
    options.replay,
    `${options.nonceNamespace ?? 'internal:'}${nonce}`,
    timestampMs,
    maxAgeSecondsOf(options),
    now,
    () => new NonceReplayedError('X-Nonce was already used'),
  );
  return { timestampMs, nonce, keyIndex };
}
