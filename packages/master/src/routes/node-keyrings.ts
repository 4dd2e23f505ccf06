import type { Fernet } from '@signet/auth';
import type { Kysely } from 'kysely';
import { type NodeSecrets, readNodeSecrets } from '../store/index.js';
import type { Database } from '../store/schema.js';

/**
 * How long decrypted secrets are kept. A rotation made by another process is seen within this
 * time, so a rotation's grace period is never shorter (`MIN_SECRET_GRACE_SECONDS`).
 */
export const NODE_SECRETS_TTL_MS = 10_000;

/** Which of a node's secrets signed a request. */
export type SecretRole = 'current' | 'next' | 'previous';

/** The secrets a node may sign with at `now`, with the role of each (the order verifyXray reports). */
export function acceptedKeyring(
  secrets: NodeSecrets,
  now: number = Date.now(),
): { secrets: string[]; roles: SecretRole[] } {
  const list: [string, SecretRole][] = [[secrets.current, 'current']];
  if (secrets.next) list.push([secrets.next.secret, 'next']);
  if (secrets.previous && secrets.previous.until.getTime() > now)
    list.push([secrets.previous.secret, 'previous']);
  return { secrets: list.map(([secret]) => secret), roles: list.map(([, role]) => role) };
}

/**
 * Each node's decrypted secrets, kept a few seconds: a burst of heartbeats then costs no store
 * read and no decryption. An entry never outlives the grace period of a replaced secret, this
 * process's own changes drop it, and a signature that matches none of the cached secrets is
 * checked once more against the store (a rotation made by another process, `signet node
 * rotate-secret`; the node API's rate limit bounds how often).
 */
export class NodeKeyrings {
  readonly #cache = new Map<number, { secrets: NodeSecrets | null; until: number }>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly fernet: Fernet,
  ) {}

  /** The node's secrets (null: no such node); `fresh` reads the store whatever is cached. */
  async get(
    nodeId: number,
    options: { fresh?: boolean } = {},
  ): Promise<{ secrets: NodeSecrets | null; cached: boolean }> {
    const now = Date.now();
    const hit = this.#cache.get(nodeId);
    if (!options.fresh && hit && hit.until > now) return { secrets: hit.secrets, cached: true };
    const secrets = await readNodeSecrets(this.db, this.fernet, nodeId);
    const graceEnds = secrets?.previous?.until.getTime() ?? Infinity;
    if (this.#cache.size >= 100_000) this.#cache.clear();
    this.#cache.set(nodeId, {
      secrets,
      until: Math.min(now + NODE_SECRETS_TTL_MS, graceEnds > now ? graceEnds : Infinity),
    });
    return { secrets, cached: false };
  }

  forget(nodeId: number): void {
    this.#cache.delete(nodeId);
  }
}
