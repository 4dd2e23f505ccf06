/**
 * The worker client's error codes, one class each. Messages name the node only by its host:port
 * and never contain the node's secret, a signature or the signed body.
 */
export const WORKER_CLIENT_ERROR_CODES = Object.freeze([
  'WORKER_UNREACHABLE',
  'WORKER_REFUSED',
  'WORKER_FAILED',
  'WORKER_ANSWER_INVALID',
  'WORKER_CERTIFICATE_MISMATCH',
] as const);

export type WorkerClientErrorCode = (typeof WORKER_CLIENT_ERROR_CODES)[number];

export abstract class WorkerClientError extends Error {
  abstract readonly code: WorkerClientErrorCode;
  constructor(
    message: string,
    /** The node's `host:port`, safe to log. */
    readonly worker: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** No answer: connection refused, DNS failure, reset, or the timeout ran out. The cause is kept. */
export class WorkerUnreachableError extends WorkerClientError {
  readonly code = 'WORKER_UNREACHABLE';
}

/** An answer with an HTTP error status; `workerError` is the worker's own `{"error": …}` text, truncated. */
abstract class WorkerStatusError extends WorkerClientError {
  constructor(
    worker: string,
    readonly status: number,
    readonly workerError: string,
  ) {
    super(`worker ${worker} answered ${status}: ${workerError}`, worker);
  }
}

/** The worker answered 4xx: bad signature (401), a config it rejects (400), too large (413)… */
export class WorkerRefusedError extends WorkerStatusError {
  readonly code = 'WORKER_REFUSED';
}

/** The worker answered 5xx: the core would not restart, a config could not be applied… */
export class WorkerFailedError extends WorkerStatusError {
  readonly code = 'WORKER_FAILED';
}

/** The answer is not what the Worker API sends: not JSON, the wrong shape, a redirect, too large. */
export class WorkerAnswerInvalidError extends WorkerClientError {
  readonly code = 'WORKER_ANSWER_INVALID';
}

/**
 * The worker did not present the certificate pinned at its registration: another certificate, or
 * plain HTTP. Nothing was sent. `presented` is the other certificate's SHA-256 (null: none).
 */
export class WorkerCertificateMismatchError extends WorkerClientError {
  readonly code = 'WORKER_CERTIFICATE_MISMATCH';
  constructor(
    worker: string,
    readonly pinned: string,
    readonly presented: string | null,
    options?: { cause?: unknown },
  ) {
    super(
      presented === null
        ? `worker ${worker} does not serve the pinned TLS certificate (its address is plain http://); refused`
        : `worker ${worker} presented TLS certificate ${presented}, not the one pinned at its registration (${pinned}); refused. If the node's certificate changed legitimately, register it again (signet node token NAME)`,
      worker,
      options,
    );
  }
}
