import { V1Error, v1CodeForStatus } from '@signet/server';
import { MASTER_ERROR_STATUS } from '../http/error-status.js';
import { StoreError } from '../store/index.js';
import { WorkerClientError } from '../worker-client/index.js';
import { ConfigError } from '../xray-config/index.js';

/**
 * An operation's failure as the coded error both envelopes render: store and config errors by their
 * status table (their messages name the rule, never a secret), a node's Worker API failing as 502.
 * Anything else is left for the error handler (a logged 500 with no details).
 */
export function toApiError(error: unknown): unknown {
  if (error instanceof V1Error) return error;
  if (error instanceof StoreError || error instanceof ConfigError) {
    return new V1Error(v1CodeForStatus(MASTER_ERROR_STATUS[error.code]), error.message, { cause: error });
  }
  if (error instanceof WorkerClientError) return new V1Error(50200, error.message, { cause: error });
  return error;
}

export const notFound = (what: string): V1Error => new V1Error(40400, `${what} not found`);
export const forbidden = (message: string): V1Error => new V1Error(40300, message);
