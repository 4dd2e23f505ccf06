import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import { type Database, pruneAudit, pruneTrafficHistory } from './store/index.js';

const HOUR_MS = 3_600_000;

/**
 * Keeps the store bounded: deletes audit events older than the retention and traffic-history
 * buckets past their keep time, at start and then hourly.
 */
export function startStorePruning(
  db: Kysely<Database>,
  auditRetentionDays: number,
  log: FastifyBaseLogger,
): { stop(): void } {
  if (!Number.isInteger(auditRetentionDays) || auditRetentionDays < 1) {
    throw new RangeError('auditRetentionDays: expected a positive whole number of days');
  }
  const warn = (what: string) => (error: Error) =>
    log.warn({ err: { type: error.name } }, `${what} could not be pruned`);
  const prune = () => {
    void pruneAudit(db, new Date(Date.now() - auditRetentionDays * 24 * HOUR_MS)).catch(
      warn('old audit events'),
    );
    void pruneTrafficHistory(db).catch(warn('old traffic history'));
  };
  prune();
  const timer = setInterval(prune, HOUR_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
