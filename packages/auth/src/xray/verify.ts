import { canonicalizeDocument } from '../canonical-json/index.js';
import { KeyUnknownError, SignatureMismatchError, TimestampInvalidError } from '../errors.js';
import { matchHmacHex } from '../lib/hmac.js';
import { type Keyring, keyringBytes } from '../lib/keyring.js';
import { claimOnce } from '../lib/replay-window.js';
import { checkTimestamp, type FreshnessOptions, maxAgeSecondsOf } from '../lib/timestamp.js';
import type { ReplayStore } from '../replay/store.js';

export interface XrayVerifyOptions extends FreshnessOptions {
  /**
   * The secret(s) to verify against, or a function choosing them from the raw text of top-level
   * body members (those named in `members`, say `node_id`). Undefined means no such principal.
   */
  readonly secret:
    Keyring | ((members: ReadonlyMap<string, string>) => Keyring | undefined | Promise<Keyring | undefined>);
  /** Top-level members whose raw JSON text `secret` and the result receive. */
  readonly members?: readonly string[];
  /**
   * Whether the body must carry `timestamp` (unix seconds, an unsigned JSON integer) within the
   * window. Default true. Seed 000's config pull has none, so its route can turn this off.
   */
  readonly requireTimestamp?: boolean;
  /** Refuse an exact copy of an accepted request while its timestamp is valid. Needs timestamps. */
  readonly replay?: ReplayStore;
}

export interface XrayVerified {
  readonly canonical: string;
  /** The body's timestamp in milliseconds, if it has one. */
  readonly timestampMs: number | undefined;
  /** Which secret of the keyring matched (0 is the primary). */
  readonly keyIndex: number;
  readonly members: ReadonlyMap<string, string>;
}

/**
 * Verifies a seed-000 request from its raw body bytes and its X-Signature header: the body is
 * canonicalized from the raw text exactly as Python's json.dumps(sort_keys=True) would write it,
 * never through JSON.parse. Throws a SignetAuthError with a stable code.
 */
export async function verifyXray(
  body: string | Uint8Array,
  signature: string | undefined,
  options: XrayVerifyOptions,
): Promise<XrayVerified> {
  const requireTimestamp = options.requireTimestamp ?? true;
  const wanted = new Set(options.members ?? []);
  wanted.add('timestamp');
  const document = canonicalizeDocument(body, wanted);

  const rawTimestamp = document.members.get('timestamp');
  let timestampMs: number | undefined;
  if (rawTimestamp !== undefined || requireTimestamp || options.replay) {
    if (rawTimestamp === undefined) throw new TimestampInvalidError('body has no timestamp');
    timestampMs = checkTimestamp(rawTimestamp, 'seconds', options);
  }

  if (signature === undefined) throw new SignatureMismatchError('X-Signature header is missing');
  const keyring =
    typeof options.secret === 'function' ? await options.secret(document.members) : options.secret;
  if (keyring === undefined) throw new KeyUnknownError('no secret is known for this sender');
  const keyIndex = matchHmacHex(keyringBytes(keyring), document.text, signature);
  if (keyIndex < 0) throw new SignatureMismatchError('X-Signature does not match the body');

  if (options.replay && timestampMs !== undefined) {
    const now = options.now ?? Date.now;
    await claimOnce(
      options.replay,
      `xray:${signature.toLowerCase()}`,
      timestampMs,
      maxAgeSecondsOf(options),
      now,
    );
  }
  return { canonical: document.text, timestampMs, keyIndex, members: document.members };
}
