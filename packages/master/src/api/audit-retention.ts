import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import { type Database, pruneAudit } from '../store/index.js';

const HOUR_MS = 3_600_000;

/** Deletes audit events older than the retention, at start and then hourly (bounded storage). */
export function startAuditPruning(
  db: Kysely<Database>,
  retentionDays: number,
  log: FastifyBaseLogger,
): { stop(): void } {
  if (!Number.isInteger(retentionDays) || retentionDays < 1) {
    throw new RangeError('auditRetentionDays: expected a positive whole number of days');
  }
  const prune = () =>
    void pruneAudit(db, new Date(Date.now() - retentionDays * 24 * HOUR_MS)).catch((error: Error) =>
      log.warn({ err: { type: error.name } }, 'old audit events could not be pruned'),
    );
  prune();
  const timer = setInterval(prune, HOUR_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
