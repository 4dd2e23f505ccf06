import type { TLSSocket } from 'node:tls';
import type * as UndiciModule from 'undici';
import type { buildConnector } from 'undici';
import { fromNodeFingerprint, parseFingerprint } from './fingerprint.js';

/**
 * The peer did not present the pinned certificate: another certificate, or plain HTTP where TLS
 * was pinned. Fingerprints are public, so the message carries both.
 */
export class CertificatePinMismatchError extends Error {
  override readonly name = 'CertificatePinMismatchError';
  readonly code = 'CERTIFICATE_PIN_MISMATCH';
  constructor(
    /** `host:port` of the peer. */
    readonly peer: string,
    readonly expected: string,
    /** The presented certificate's fingerprint; null when none was presented. */
    readonly actual: string | null,
  ) {
    super(
      actual === null
        ? `${peer} presented no certificate, but certificate ${expected} is pinned`
        : `${peer} presented certificate ${actual}, not the pinned ${expected}`,
    );
  }
}

/** The pin mismatch behind a failed fetch (`fetch failed` keeps it as its cause), if that was why. */
export function pinMismatchOf(error: unknown): CertificatePinMismatchError | null {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++)
    if (e instanceof CertificatePinMismatchError) return e;
  return null;
}

type Undici = typeof UndiciModule;
// Loaded on the first pinned call: every `signet` command imports this package, few pin anything.
let undiciModule: Promise<Undici> | undefined;
const loadUndici = (): Promise<Undici> => (undiciModule ??= import('undici'));

/**
 * A connector that accepts exactly one certificate, whatever its issuer or names: after the
 * handshake the peer's leaf must have the pinned SHA-256 fingerprint, else the socket is destroyed
 * before a byte is sent. No TLS session is resumed, so every connection shows its certificate.
 */
function pinnedConnector(undici: Undici, fingerprint: string): buildConnector.connector {
  // Not verified against the CAs: the pin is the whole check (a self-signed node certificate).
  const connect = undici.buildConnector({ rejectUnauthorized: false, maxCachedSessions: 0 });
  return (options, callback) => {
    const peer = `${options.hostname}:${options.port || (options.protocol === 'https:' ? '443' : '80')}`;
    if (options.protocol !== 'https:') {
      callback(new CertificatePinMismatchError(peer, fingerprint, null), null);
      return;
    }
    connect(options, (error, socket) => {
      if (error !== null) return callback(error, null);
      const presented = fromNodeFingerprint((socket as TLSSocket).getPeerCertificate().fingerprint256);
      if (presented !== fingerprint) {
        socket.destroy();
        return callback(new CertificatePinMismatchError(peer, fingerprint, presented), null);
      }
      callback(null, socket);
    });
  };
}

/**
 * `fetch` that talks only to the holder of one certificate (`fingerprint`: SHA-256 hex, colons and
 * case as you like). A plain `http:` URL is refused. Each call has its own connection, closed once
 * its answer has been read. A refused certificate fails the call like a network error (a
 * `TypeError`) whose cause is a `CertificatePinMismatchError` (`pinMismatchOf` finds it).
 */
export function pinnedFetch(fingerprint: string): typeof globalThis.fetch {
  const pin = parseFingerprint(fingerprint);
  if (pin === null) throw new TypeError('fingerprint: expected the SHA-256 of a certificate, 64 hex digits');
  const pinned = async (input: Parameters<typeof globalThis.fetch>[0], init?: RequestInit) => {
    const undici = await loadUndici();
    const dispatcher = new undici.Agent({ connect: pinnedConnector(undici, pin) });
    try {
      // undici's own fetch, for its `dispatcher`; its Response is the same WHATWG Response as the
      // global fetch's (Node's fetch is undici).
      return (await undici.fetch(input as Parameters<Undici['fetch']>[0], {
        ...(init as Parameters<Undici['fetch']>[1]),
        dispatcher,
      })) as unknown as Response;
    } finally {
      // Graceful: the answer being read finishes first; then the connection is closed.
      void dispatcher.close().catch(() => undefined);
    }
  };
  return pinned as typeof globalThis.fetch;
}
