import { randomBytes } from 'node:crypto';
import { signXray } from '@signet/auth';
import { parseFingerprint, pinMismatchOf, pinnedFetch } from '@signet/server';
import {
  WorkerAnswerInvalidError,
  WorkerCertificateMismatchError,
  WorkerFailedError,
  WorkerRefusedError,
  WorkerUnreachableError,
} from './errors.js';
import {
  type WorkerHealth,
  type WorkerStats,
  errorText,
  healthAnswer,
  logsAnswer,
  messageAnswer,
  parseObject,
  statsAnswer,
} from './lib/answers.js';
import { type WorkerAddress, workerAddress } from './lib/base-url.js';
import { AnswerTooLargeError, readCapped } from '../http/read-capped.js';
import { fetchFailureReason } from '../http/fetch-failure.js';

export interface WorkerClientOptions {
  /** The Worker API address the node reported, e.g. `http://10.0.0.5:9090`. */
  readonly baseUrl: string;
  /** The node's api_secret; it signs every POST and appears nowhere else. */
  readonly secret: string;
  /** Per call, connecting through reading the answer. Default 10 000 ms. */
  readonly timeoutMs?: number;
  /** The clock, in milliseconds since the epoch. Default `Date.now`. */
  readonly now?: () => number;
  /**
   * The SHA-256 (hex) of the certificate the node registered with: every call must be answered by
   * exactly that certificate, whatever its issuer or names (and never over plain HTTP). Without it,
   * an https address is verified against the CAs.
   */
  readonly fingerprint?: string | null | undefined;
  /** Told before a WORKER_CERTIFICATE_MISMATCH is thrown (the master flags the node). */
  readonly onCertificateMismatch?: (error: WorkerCertificateMismatchError) => Promise<void> | void;
  /**
   * A rotation's next secret, which the worker may hold already although the master has not seen
   * it confirmed: a call the worker refuses with 401 is signed with it once more, and when that is
   * accepted `onNextSecretAccepted` is told and the client signs with it from then on.
   */
  readonly nextSecret?: string | undefined;
  readonly onNextSecretAccepted?: () => Promise<void> | void;
}

const ANSWER_CAP = 1024 * 1024;
const LOGS_CAP = 2 * 1024 * 1024;

/** The master's side of seed 000's Worker API: one node, driven with that node's secret. */
export class WorkerClient {
  readonly #address: WorkerAddress;
  #secret: string;
  #next: string | undefined;
  readonly #onNextAccepted: WorkerClientOptions['onNextSecretAccepted'];
  readonly #timeoutMs: number;
  readonly #now: () => number;
  readonly #pin: string | null;
  readonly #fetch: typeof globalThis.fetch;
  readonly #onMismatch: WorkerClientOptions['onCertificateMismatch'];

  constructor(options: WorkerClientOptions) {
    this.#address = workerAddress(options.baseUrl);
    if (typeof options.secret !== 'string' || options.secret === '')
      throw new TypeError('secret: must be a non-empty string');
    const timeoutMs = options.timeoutMs ?? 10_000;
    if (!Number.isSafeInteger(timeoutMs) || timeoutMs <= 0)
      throw new TypeError('timeoutMs: must be a positive integer');
    this.#secret = options.secret;
    this.#timeoutMs = timeoutMs;
    this.#now = options.now ?? Date.now;
    const given = options.fingerprint ?? null;
    this.#pin = given === null ? null : parseFingerprint(given);
    if (given !== null && this.#pin === null)
      throw new TypeError('fingerprint: must be a SHA-256 certificate fingerprint (64 hex digits)');
    this.#fetch = this.#pin === null ? globalThis.fetch : pinnedFetch(this.#pin);
    this.#onMismatch = options.onCertificateMismatch;
    this.#next = options.nextSecret;
    this.#onNextAccepted = options.onNextSecretAccepted;
  }

  /** Restarts the node's core (the worker drains its traffic counters first). */
  async restart(): Promise<{ message: string }> {
    return this.#expect(await this.#post('api/restart', {}), messageAnswer);
  }

  /** Pushes a core config (JSON text); a config the core refuses is a WORKER_REFUSED 400. */
  async pushConfig(configJson: string): Promise<{ message: string }> {
    if (typeof configJson !== 'string') throw new TypeError('configJson: must be a string');
    return this.#expect(await this.#post('api/config', { config: configJson }), messageAnswer);
  }

  /** The last `lines` lines (1..1000) of the core's log. */
  async logs(lines = 100): Promise<string> {
    if (!Number.isInteger(lines) || lines < 1 || lines > 1000)
      throw new RangeError('lines: must be an integer from 1 to 1000');
    return this.#expect(await this.#post('api/logs', { lines }, LOGS_CAP), logsAnswer);
  }

  /**
   * Hands the worker its next api_secret, sealed under the one this client signs with
   * (`sealNodeSecret`); the worker signs with it from then on and still accepts the one it replaces
   * for `graceSeconds`. Resolves once the worker has stored it.
   */
  async replaceSecret(sealed: string, graceSeconds: number): Promise<{ message: string }> {
    if (typeof sealed !== 'string' || sealed === '')
      throw new TypeError('sealed: must be a non-empty string');
    if (!Number.isSafeInteger(graceSeconds) || graceSeconds < 0)
      throw new RangeError('graceSeconds: must be a non-negative integer');
    return this.#expect(
      await this.#post('api/secret', { sealed_secret: sealed, grace_seconds: graceSeconds }),
      messageAnswer,
    );
  }

  async stats(): Promise<WorkerStats> {
    return this.#expect(await this.#post('api/stats', {}), statsAnswer);
  }

  /** The open health route: no signature. */
  async health(): Promise<WorkerHealth> {
    return this.#expect(await this.#call('health', { method: 'GET' }, ANSWER_CAP), healthAnswer);
  }

  async #post(path: string, fields: object, cap = ANSWER_CAP): Promise<Record<string, unknown>> {
    try {
      return await this.#signedCall(path, fields, cap, this.#secret);
    } catch (error) {
      const next = this.#next;
      if (next === undefined || !(error instanceof WorkerRefusedError && error.status === 401)) throw error;
      // Refused calls did nothing, so signing the same operation again is safe.
      const answer = await this.#signedCall(path, fields, cap, next);
      this.#secret = next;
      this.#next = undefined;
      await Promise.resolve()
        .then(() => this.#onNextAccepted?.())
        .catch(() => undefined);
      return answer;
    }
  }

  // A fresh timestamp and nonce make every body unique, so the worker's replay store accepts a
  // repeated operation while still refusing a captured request.
  #signedCall(path: string, fields: object, cap: number, secret: string): Promise<Record<string, unknown>> {
    const body = JSON.stringify({
      ...fields,
      timestamp: Math.floor(this.#now() / 1000),
      nonce: randomBytes(16).toString('hex'),
    });
    const { headers } = signXray(body, secret);
    return this.#call(path, { method: 'POST', headers, body }, cap);
  }

  async #call(path: string, init: RequestInit, cap: number): Promise<Record<string, unknown>> {
    const worker = this.#address.authority;
    const url = this.#address.endpoint(path);
    // The worker said it serves TLS with this certificate: a plain address is never used for it.
    if (this.#pin !== null && url.protocol !== 'https:') await this.#mismatch(worker, null);
    let text: string;
    let status: number;
    try {
      // `manual`: a redirect would re-send a signed body to wherever the worker points.
      const response = await this.#fetch(url, {
        ...init,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
      status = response.status;
      text = await readCapped(response, cap);
    } catch (error) {
      if (error instanceof AnswerTooLargeError)
        throw new WorkerAnswerInvalidError(`worker ${worker}: ${error.message}`, worker);
      const mismatch = pinMismatchOf(error);
      if (mismatch !== null && this.#pin !== null) await this.#mismatch(worker, mismatch.actual, error);
      throw new WorkerUnreachableError(
        `worker ${worker} is unreachable (${fetchFailureReason(error)})`,
        worker,
        {
          cause: error,
        },
      );
    }
    if (status >= 500) throw new WorkerFailedError(worker, status, errorText(text));
    if (status >= 400) throw new WorkerRefusedError(worker, status, errorText(text));
    const answer = status === 200 ? parseObject(text) : null;
    if (answer === null)
      throw new WorkerAnswerInvalidError(`worker ${worker} answered ${status} without a JSON object`, worker);
    return answer;
  }

  async #mismatch(worker: string, presented: string | null, cause?: unknown): Promise<never> {
    const error = new WorkerCertificateMismatchError(worker, this.#pin ?? '', presented, { cause });
    // The refusal stands even if telling about it fails.
    await Promise.resolve()
      .then(() => this.#onMismatch?.(error))
      .catch(() => undefined);
    throw error;
  }

  #expect<T>(answer: Record<string, unknown>, read: (answer: Record<string, unknown>) => T | null): T {
    const value = read(answer);
    if (value === null) {
      const worker = this.#address.authority;
      throw new WorkerAnswerInvalidError(`worker ${worker}: the answer has the wrong shape`, worker);
    }
    return value;
  }
}
