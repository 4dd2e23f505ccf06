import type { Fernet } from '@signet/auth';
import type { Kysely } from 'kysely';
import type { SignerClient } from '../signer-client/index.js';
import type { Database } from '../store/index.js';
import type { Caller } from './caller.js';

/** What every operation may use. */
export interface ApiDeps {
  readonly db: Kysely<Database>;
  readonly fernet: Fernet;
  /** The URL nodes reach this master at, for the printed `signet worker` line; else the request's origin. */
  readonly publicUrl: string | undefined;
  /** How long a call to a node's Worker API may take. */
  readonly workerTimeoutMs: number;
  /** Whether L0 TEM keys (which send the secret itself) are accepted and may be created. */
  readonly allowLevel0Keys: boolean;
  /** The signing service the console shows (`--signer-url`), or null. */
  readonly signer: SignerClient | null;
  /**
   * The SHA-256 (hex) of the certificate this master serves now (read afresh, so a renewal shows),
   * for `--master-fingerprint` in printed worker lines; null when it serves plain HTTP.
   */
  readonly masterFingerprint: () => string | null;
  /** Told when a node's secrets change (a rotation), so cached copies are dropped. */
  readonly nodeSecretsChanged: (nodeId: number) => void;
}

/** One call's input, already validated against the operation's schemas. */
export interface OperationInput {
  readonly params: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, unknown>>;
  readonly body: unknown;
  /** `scheme://host[:port]` of the request, as the caller addressed it. */
  readonly origin: string;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/**
 * One row of the API table: what a route does, whatever its family. The same row is served at
 * `/v1/web`, `/v1/service`, `/v1/internal` (`{code, message, data}`) and `/api/v1` (TEM's
 * `{Data, Success}`), and described in `openapi.json`; only the envelope and the authentication
 * differ. `id` names the action in the audit log and is the OpenAPI operationId.
 */
export interface Operation {
  readonly id: string;
  readonly method: HttpMethod;
  /** Fastify path, `:name` for parameters. */
  readonly path: string;
  /** A state-changing operation: refused to read-only callers, always audited. */
  readonly write: boolean;
  /** Answers credentials (users' VLESS ids): refused to read-only callers like a write. */
  readonly credentials?: boolean;
  readonly tag: 'cluster' | 'nodes' | 'users' | 'keys' | 'audit' | 'account' | 'signer';
  readonly summary: string;
  readonly params?: object;
  readonly query?: object;
  readonly body?: object;
  /** The JSON schema of `data` on success; also what keeps anything else from being sent. */
  readonly data: object;
  /** What a create is about, for the audit log (other operations name theirs in the path). */
  readonly target?: (body: unknown) => string;
  /** Families that do not serve it (default: served everywhere). */
  readonly except?: readonly ('web' | 'service' | 'internal' | 'openapi')[];
  readonly run: (input: OperationInput, caller: Caller, deps: ApiDeps) => Promise<unknown>;
}

/** Declares an operation (typed, frozen). */
export const operation = (row: Operation): Operation => Object.freeze(row);

/** A path parameter the route's schema requires (so it is there once validation passed). */
export function param(params: OperationInput['params'], name: string): string {
  const value = params[name];
  if (value === undefined) throw new TypeError(`route parameter ${name} is missing`);
  return value;
}
