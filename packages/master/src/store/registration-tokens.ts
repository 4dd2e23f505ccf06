import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { checkNodeId } from './lib/ids.js';
import { readNumber } from './lib/integers.js';
import { inTransaction } from './lib/transaction.js';
import type { Database } from './schema.js';

/** How long a registration token works by default: 24 hours. */
export const DEFAULT_TOKEN_TTL_MS = 24 * 60 * 60 * 1000;

export interface TokenOptions {
  /** How long the token works, in ms (default 24 h). */
  ttlMs?: number;
  now?: Date;
}

export interface RegistrationToken {
  /** The one-time token: shown once, only its SHA-256 is stored. */
  readonly token: string;
  readonly expiresAt: Date;
}

/**
 * A new one-time registration token (32 random bytes, base64url) for an existing node; only its
 * SHA-256 is stored. Used and expired tokens of the node are dropped; earlier unused ones keep
 * working until they expire.
 */
export async function issueRegistrationToken(
  db: Kysely<Database>,
  nodeId: number,
  options: TokenOptions = {},
): Promise<RegistrationToken> {
  checkNodeId(nodeId);
  const ttlMs = options.ttlMs ?? DEFAULT_TOKEN_TTL_MS;
  if (!Number.isSafeInteger(ttlMs) || ttlMs <= 0) {
    throw new RangeError('options.ttlMs: expected a positive integer');
  }
  const now = (options.now ?? new Date()).getTime();
  const token = randomBytes(32).toString('base64url');
  const expiresAt = now + ttlMs;
  await inTransaction(db, async (trx) => {
    await trx
      .deleteFrom('registration_tokens')
      .where('node_id', '=', nodeId)
      .where((eb) => eb.or([eb('used_at', 'is not', null), eb('expires_at', '<=', now)]))
      .execute();
    await trx
      .insertInto('registration_tokens')
      .values({ token_hash: tokenHash(token), node_id: nodeId, expires_at: expiresAt })
      .execute();
  });
  return { token, expiresAt: new Date(expiresAt) };
}

/**
 * Redeems a registration token: the node's id, once, and the node is marked registered. An unknown,
 * expired or already used token gives null. Atomic: of concurrent redeemers (processes included)
 * exactly one gets the id — the single guarded UPDATE decides.
 */
export async function redeemToken(
  db: Kysely<Database>,
  token: string,
  now: Date = new Date(),
): Promise<number | null> {
  if (typeof token !== 'string' || token.length === 0 || token.length > 512) return null;
  const at = now.getTime();
  return inTransaction(db, async (trx) => {
    const row = await trx
      .updateTable('registration_tokens')
      .set({ used_at: at })
      .where('token_hash', '=', tokenHash(token))
      .where('used_at', 'is', null)
      .where('expires_at', '>', at)
      .returning('node_id')
      .executeTakeFirst();
    if (row === undefined) return null;
    const nodeId = readNumber(row.node_id);
    await trx.updateTable('nodes').set({ registered_at: at }).where('id', '=', nodeId).execute();
    return nodeId;
  });
}

function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
