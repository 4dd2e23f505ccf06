import { canonicalize } from '../canonical-json/index.js';
import { hmacSha256 } from '../lib/hmac.js';
import { type Keyring, primarySecret } from '../lib/keyring.js';

export interface XraySignature {
  /** What was signed: Python's `json.dumps(body, sort_keys=True)` of the body. */
  readonly stringToSign: string;
  /** Lower-case hex HMAC-SHA256. */
  readonly signature: string;
  /** Headers to send with the body, unchanged. */
  readonly headers: { readonly 'Content-Type': 'application/json'; readonly 'X-Signature': string };
}

/**
 * Signs a request body for the seed-000 cluster API: hex HMAC-SHA256 of the body as Python's
 * `json.dumps(body, sort_keys=True)` writes it, under the primary secret. Pass the exact JSON text
 * you will send; it may be in any layout or key order.
 */
export function signXray(body: string | Uint8Array, secret: Keyring): XraySignature {
  const stringToSign = canonicalize(body);
  const signature = hmacSha256(primarySecret(secret), stringToSign).toString('hex');
  return {
    stringToSign,
    signature,
    headers: { 'Content-Type': 'application/json', 'X-Signature': signature },
  };
}
