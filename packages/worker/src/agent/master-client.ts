import { signXray } from '@signet/auth';
import { pinMismatchOf, pinnedFetch } from '@signet/server';

/**
 * The master's answer was a refusal, or its certificate cannot be accepted: retrying the same call
 * will not help (unlike an unreachable master).
 */
export class MasterRefusedError extends Error {
  override readonly name = 'MasterRefusedError';
}

export interface MasterClientOptions {
  /** Per call. Default 10 000 ms. */
  readonly timeoutMs?: number;
  /**
   * Accept only a master presenting one of these certificates (SHA-256, Signet's lower-case hex),
   * whatever its issuer or name; without any, the master's certificate is verified against the CAs.
   */
  readonly fingerprints?: readonly string[];
}

// TLS verification failures (Node's `code`s): the master answered, with a certificate this worker
// does not trust. Retrying will not change that.
const UNTRUSTED = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** Calls the master's node API; every call after registration is signed with X-Signature. */
export class MasterClient {
  readonly #timeoutMs: number;
  readonly #fetchers: readonly (typeof globalThis.fetch)[];

  constructor(
    private readonly baseUrl: string,
    options: MasterClientOptions = {},
  ) {
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    const pins = options.fingerprints ?? [];
    if (pins.length > 0 && !baseUrl.startsWith('https://'))
      throw new TypeError('a pinned master certificate needs an https:// master URL');
    this.#fetchers = pins.length > 0 ? pins.map((pin) => pinnedFetch(pin)) : [globalThis.fetch];
  }

  register(body: {
    token: string;
    worker_url?: string;
    core_flavour: string;
    core_version: string;
    tls_fingerprint?: string;
  }): Promise<{
    node_id: number;
    api_secret: string;
    hidden_path: string;
  }> {
    return this.post('/api/node/register', { ...body, timestamp: now() });
  }

  /** `rotate_secret`, Signet's addition: a rotation's next secret, sealed under `secret`. */
  async heartbeat(
    nodeId: number,
    secret: string,
    body: Record<string, unknown>,
  ): Promise<{ status: string; rotate_secret?: { sealed: string; grace_seconds: number } }> {
    const answer = await this.post<{ status: string; rotate_secret?: unknown }>(
      '/api/node/heartbeat',
      { ...body, node_id: nodeId, timestamp: now() },
      secret,
    );
    const rotation = answer.rotate_secret as { sealed?: unknown; grace_seconds?: unknown } | undefined;
    const valid =
      typeof rotation?.sealed === 'string' &&
      Number.isSafeInteger(rotation.grace_seconds) &&
      (rotation.grace_seconds as number) >= 0;
    return {
      status: answer.status,
      ...(valid
        ? {
            rotate_secret: {
              sealed: rotation.sealed as string,
              grace_seconds: rotation.grace_seconds as number,
            },
          }
        : {}),
    };
  }

  config(nodeId: number, secret: string): Promise<{ xray_config: string; config_version: string }> {
    return this.post('/api/node/config', { node_id: nodeId, timestamp: now() }, secret);
  }

  private async post<T>(path: string, body: object, secret?: string): Promise<T> {
    const text = JSON.stringify(body);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (secret !== undefined) headers['x-signature'] = signXray(text, secret).signature;
    const response = await this.#send(`${this.baseUrl}${path}`, {
      method: 'POST',
      headers,
      body: text,
      redirect: 'manual', // a redirect would carry the token or a signed body elsewhere
      signal: AbortSignal.timeout(this.#timeoutMs),
    });
    const answer = (await response.json().catch(() => ({}))) as T & { error?: string };
    if (!response.ok)
      throw new MasterRefusedError(
        `master answered ${response.status} to ${path}: ${answer.error ?? 'no message'}`,
      );
    return answer;
  }

  /** The call through each pinned certificate in turn (a pin list lets a renewal roll over). */
  async #send(url: string, init: RequestInit): Promise<Response> {
    let mismatch: Error | null = null;
    for (const fetcher of this.#fetchers) {
      try {
        return await fetcher(url, init);
      } catch (error) {
        const pin = pinMismatchOf(error);
        if (pin === null) throw untrusted(error) ?? error;
        mismatch = pin;
      }
    }
    throw new MasterRefusedError(
      `refused the master's certificate: ${mismatch?.message ?? 'no pin'} (--master-fingerprint); if the master's certificate was replaced, start the worker with the new fingerprint`,
      { cause: mismatch },
    );
  }
}

/** A failure to trust the master's certificate, as a refusal with a message saying what to do. */
function untrusted(error: unknown): MasterRefusedError | null {
  const code = (error as { cause?: { code?: unknown } } | null)?.cause?.code;
  if (typeof code !== 'string' || !UNTRUSTED.has(code)) return null;
  return new MasterRefusedError(
    `the master's certificate is not trusted (${code}): give the worker --master-fingerprint (printed by \`signet node add\`), or give the master a certificate from a CA this machine trusts (NODE_EXTRA_CA_CERTS adds one)`,
    { cause: error },
  );
}

function now(): number {
  return Math.floor(Date.now() / 1000);
}
