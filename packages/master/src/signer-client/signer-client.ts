import { type Keyring, signDataTs } from '@signet/auth';
import { AnswerTooLargeError, readCapped } from '../http/read-capped.js';
import { fetchFailureReason } from '../http/fetch-failure.js';
import { checkAccounts, checkReload, checkStatus } from './answers.js';

export interface SignerClientOptions {
  /** The signing service's base URL, e.g. `http://127.0.0.1:8081`. */
  readonly url: string;
  /** API_SECRET_KEY(s): when set, every call carries a seed-002 data-ts signature. */
  readonly secret?: Keyring | undefined;
  /** Per call, connecting through reading the answer. Default 5 000 ms. */
  readonly timeoutMs?: number;
}

/** The signer did not answer as it should; the message names its host:port only, never a secret. */
export class SignerCallError extends Error {
  override readonly name = 'SignerCallError';
}

const ANSWER_CAP = 4 * 1024 * 1024;

/**
 * What the master asks the signing service (seed 004) for the console: its status, its accounts
 * (never their keys: the signer has no route that returns them) and a credentials reload.
 */
export class SignerClient {
  readonly url: string;
  readonly #base: URL;
  readonly #secret: Keyring | undefined;
  readonly #timeoutMs: number;
  #lastTimestamp = 0;

  constructor(options: SignerClientOptions) {
    let base: URL;
    try {
      base = new URL(options.url);
    } catch {
      throw new TypeError('signer URL: must be an absolute http(s) URL');
    }
    if (base.protocol !== 'http:' && base.protocol !== 'https:')
      throw new TypeError('signer URL: must be an http(s) URL');
    if (base.username !== '' || base.password !== '')
      throw new TypeError('signer URL: must not carry credentials');
    if (!base.pathname.endsWith('/')) base.pathname += '/';
    this.#base = base;
    this.url = base.href.replace(/\/$/, '');
    this.#secret = options.secret;
    this.#timeoutMs = options.timeoutMs ?? 5_000;
  }

  // One call at a time, each timestamp later than the last: two GETs signed in the same millisecond
  // would carry the same data-ts signature, and the signer's replay store refuses the second.
  async status(): Promise<Record<string, unknown>> {
    return this.#checked(await this.#call('GET', 'api/v1/status'), checkStatus, 'status');
  }

  async accounts(): Promise<unknown[]> {
    const data = this.#checked(await this.#call('GET', 'api/v1/accounts'), checkAccounts, 'accounts');
    return data.accounts as unknown[];
  }

  async reload(): Promise<Record<string, unknown>> {
    return this.#checked(
      await this.#call('POST', 'api/v1/config/reload', '{}'),
      checkReload,
      'reload result',
    );
  }

  #checked(
    data: Record<string, unknown>,
    check: (value: unknown) => boolean,
    what: string,
  ): Record<string, unknown> {
    if (!check(data)) throw this.#error(`answered a ${what} of an unexpected shape`);
    return data;
  }

  #timestamp(): string {
    this.#lastTimestamp = Math.max(Date.now(), this.#lastTimestamp + 1);
    return String(this.#lastTimestamp);
  }

  async #call(method: 'GET' | 'POST', path: string, body?: string): Promise<Record<string, unknown>> {
    const headers: Record<string, string> = body === undefined ? {} : { 'Content-Type': 'application/json' };
    if (this.#secret !== undefined)
      Object.assign(
        headers,
        signDataTs({ secret: this.#secret, data: body ?? '', timestamp: this.#timestamp() }).headers,
      );
    let status: number;
    let text: string;
    try {
      const response = await fetch(new URL(path, this.#base), {
        method,
        headers,
        ...(body === undefined ? {} : { body }),
        redirect: 'manual',
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
      status = response.status;
      text = await readCapped(response, ANSWER_CAP);
    } catch (error) {
      if (error instanceof AnswerTooLargeError) throw this.#error(error.message);
      throw this.#error(`is unreachable (${fetchFailureReason(error)})`);
    }
    const answer = parseEnvelope(text);
    if (answer?.success === true && typeof answer.data === 'object' && answer.data !== null)
      return answer.data as Record<string, unknown>;
    const said = typeof answer?.error?.message === 'string' ? `: ${answer.error.message.slice(0, 200)}` : '';
    throw this.#error(`answered ${status}${said}`);
  }

  #error(what: string): SignerCallError {
    return new SignerCallError(`the signer at ${this.#base.host} ${what}`);
  }
}

/** Seed 004's envelope, `{success, data}` or `{success: false, error: {message}}`, or null. */
function parseEnvelope(
  text: string,
): { success?: unknown; data?: unknown; error?: { message?: unknown } } | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? value : null;
  } catch {
    return null;
  }
}
