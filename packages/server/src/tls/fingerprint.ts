import { createHash, X509Certificate } from 'node:crypto';

/**
 * A certificate's SHA-256 fingerprint as Signet writes it: lower-case hex of SHA-256 over the DER
 * certificate, 64 characters, no colons. `pem` may hold a chain: the first certificate (the leaf)
 * is the one fingerprinted.
 */
export function certificateFingerprint(pem: string | Buffer): string {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(pem);
  } catch (error) {
    throw new TypeError('pem: not a PEM or DER X.509 certificate', { cause: error });
  }
  return createHash('sha256').update(certificate.raw).digest('hex');
}

/**
 * A fingerprint as an operator types it (`AB:CD:…` as openssl and browsers print it, or plain
 * hex, any case) in Signet's form, or null when it is not 32 bytes of hex.
 */
export function parseFingerprint(text: string): string | null {
  if (typeof text !== 'string') return null;
  const hex = text.trim().replaceAll(':', '').toLowerCase();
  return /^[0-9a-f]{64}$/.test(hex) ? hex : null;
}

/** Node's `fingerprint256` (`AB:CD:…`) in Signet's form. */
export const fromNodeFingerprint = (fingerprint256: string | undefined): string | null =>
  fingerprint256 === undefined ? null : parseFingerprint(fingerprint256);
