import { SignatureMismatchError } from '../errors.js';
import { matchHmacHex } from '../lib/hmac.js';
import { type Keyring, keyringBytes } from '../lib/keyring.js';
import { claimOnce } from '../lib/replay-window.js';
import { checkTimestamp, type FreshnessOptions, maxAgeSecondsOf } from '../lib/timestamp.js';
import type { ReplayStore } from '../replay/store.js';
import { dataTsMessage } from './sign.js';

export interface DataTsVerifyOptions extends FreshnessOptions {
  /** API_SECRET_KEY, or several accepted in order. `maxAgeSeconds` is MAX_REQUEST_AGE_SECONDS. */
  readonly secret: Keyring;
  /** Refuse an exact copy of an accepted request while its timestamp is valid. */
  readonly replay?: ReplayStore;
}

export interface DataTsVerified {
  readonly timestampMs: number;
  readonly keyIndex: number;
}

/** Verifies seed-002 data + millisecond-timestamp HMAC. */
export async function verifyDataTs(
  data: string | Uint8Array,
  signature: string | undefined,
  timestamp: string | undefined,
  options: DataTsVerifyOptions,
): Promise<DataTsVerified> {
  if (signature === undefined) throw new SignatureMismatchError('X-Signature header is missing');
  const timestampMs = checkTimestamp(timestamp, 'milliseconds', options);
  const keyIndex = matchHmacHex(
    keyringBytes(options.secret, 'API_SECRET_KEY'),
    dataTsMessage(data, timestamp as string),
    signature,
  );
  if (keyIndex < 0) throw new SignatureMismatchError('X-Signature does not match the data and timestamp');
  if (options.replay) {
    const now = options.now ?? Date.now;
    await claimOnce(
      options.replay,
      `data-ts:${signature.toLowerCase()}`,
      timestampMs,
      maxAgeSecondsOf(options),
      now,
    );
  }
  return { timestampMs, keyIndex };
}
