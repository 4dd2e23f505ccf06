import { userInfo } from 'node:os';
import type { Kysely } from 'kysely';
import { recordAudit, type Database } from '@signet/master';
import { UsageError } from './usage-error.js';

/** Who runs the command: the operating-system user, as the audit log's operator actor. */
function operatorName(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? process.env.LOGNAME ?? 'unknown';
  }
}

/**
 * Runs one state-changing command and records it in the store's audit log, whatever the outcome.
 * `detail` and failure details carry no secrets: only codes and settings.
 */
export async function audited<T>(
  db: Kysely<Database>,
  event: {
    action: string;
    /** The target, or how to name it from the result (then a failure has none). */
    target?: string | ((result: T) => string);
    detail?: (result: T) => string | undefined;
  },
  work: () => Promise<T>,
): Promise<T> {
  const base = {
    actorKind: 'operator' as const,
    actor: operatorName(),
    action: event.action,
    ...(typeof event.target === 'string' ? { target: event.target } : {}),
    source: 'cli' as const,
  };
  let result: T;
  try {
    result = await work();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    // Store errors carry a stable code; usage errors a message naming only names and AKs.
    const detail =
      typeof code === 'string' ? code : error instanceof UsageError ? error.message.slice(0, 200) : 'error';
    await recordAudit(db, { ...base, result: 'failed', detail });
    throw error;
  }
  const detail = event.detail?.(result);
  await recordAudit(db, {
    ...base,
    ...(typeof event.target === 'function' ? { target: event.target(result) } : {}),
    result: 'ok',
    ...(detail === undefined ? {} : { detail }),
  });
  return result;
}
