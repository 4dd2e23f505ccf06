import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { AuditLog } from './audit/audit-log.js';
import { accountKey } from './credentials/load.js';
import type { AccountRegistry } from './credentials/registry.js';
import {
  AccountInactiveError,
  AccountNotFoundError,
  InvalidDataFormatError,
  PlatformNotSupportedError,
  SignatureFailedError,
  SignerError,
} from './errors.js';
import type { SignerMetrics } from './metrics.js';
import { PLATFORMS } from './platforms/index.js';
import type { SignResult } from './platforms/platform.js';
import type { UsageStore } from './usage/usage-store.js';

export interface SignRequest {
  readonly platformId: string;
  readonly accountId: string;
  readonly data: unknown;
  readonly requestId?: string | undefined;
}

export interface SignOutcome extends SignResult {
  readonly signedAt: string;
}

/**
 * Signs one request with an account's prepared key, and measures it: usage per account, latency,
 * metrics, and an audit entry, whatever the outcome. Never lets key material into an error.
 */
export class SigningService {
  // prom-client hashes a label object on every call; a child per platform is looked up once.
  private readonly timers = new Map<string, { observe(seconds: number): void }>();

  constructor(
    private readonly registry: AccountRegistry,
    private readonly usage: UsageStore,
    private readonly audit: AuditLog,
    private readonly metrics: SignerMetrics,
  ) {}

  private timer(platform: string): { observe(seconds: number): void } {
    let timer = this.timers.get(platform);
    if (!timer) this.timers.set(platform, (timer = this.metrics.signSeconds.labels(platform)));
    return timer;
  }

  sign(request: SignRequest, caller: string, action: 'sign' | 'sign.batch' = 'sign'): SignOutcome {
    const started = performance.now();
    const at = new Date();
    const key = accountKey(request.platformId, request.accountId);
    let result = 'success';
    let known = false;
    try {
      if (!Object.hasOwn(PLATFORMS, request.platformId)) {
        throw new PlatformNotSupportedError(`platform ${request.platformId} is not supported`, {
          platformId: request.platformId,
          supported: Object.keys(PLATFORMS),
        });
      }
      const account = this.registry.accounts.get(key);
      const details = { platformId: request.platformId, accountId: request.accountId };
      if (!account) throw new AccountNotFoundError('the account does not exist', details);
      known = true;
      if (account.status !== 'active') throw new AccountInactiveError('the account is disabled', details);
      if (nestedDeeperThan(request.data, MAX_DEPTH)) {
        throw new InvalidDataFormatError(`data is nested deeper than ${MAX_DEPTH} levels`, details);
      }
      try {
        return { ...account.key.sign(request.data, at), signedAt: at.toISOString() };
      } catch (cause) {
        if (cause instanceof SignerError) throw cause;
        throw new SignatureFailedError('the signing operation failed', details, { cause });
      }
    } catch (error) {
      result = error instanceof SignerError ? error.code : 'SIGNATURE_FAILED';
      throw error;
    } finally {
      const ms = performance.now() - started;
      // Label values come from a fixed set, never from what a caller typed.
      const platform = Object.hasOwn(PLATFORMS, request.platformId) ? request.platformId : 'unsupported';
      if (known) this.usage.record(key, result === 'success', ms, at);
      this.metrics.signs.labels(platform, result).inc();
      this.timer(platform).observe(ms / 1000);
      this.audit.append(
        {
          caller,
          action,
          platformId: request.platformId,
          accountId: request.accountId,
          requestId: request.requestId ?? null,
          dataSha256: dataHash(request.data),
          result,
          latencyMs: Math.round(ms * 1000) / 1000,
        },
        at,
      );
    }
  }
}

/** No exchange message nests this deep; refusing deeper data keeps every recursion bounded. */
const MAX_DEPTH = 32;

function nestedDeeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop() as [unknown, number];
    if (typeof current !== 'object' || current === null) continue;
    if (depth >= limit) return true;
    for (const child of Object.values(current)) stack.push([child, depth + 1]);
  }
  return false;
}

/** SHA-256 of the request data for the audit log; data too deep to serialize is recorded as such. */
function dataHash(data: unknown): string | null {
  try {
    return createHash('sha256')
      .update(JSON.stringify(data) ?? '')
      .digest('hex');
  } catch {
    return null;
  }
}
