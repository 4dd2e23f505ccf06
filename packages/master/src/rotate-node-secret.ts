import { sealNodeSecret, type Fernet } from '@signet/auth';
import type { Kysely } from 'kysely';
import {
  beginSecretRotation,
  confirmSecretRotation,
  getNode,
  type NodeRecord,
  readNodeSecrets,
} from './store/index.js';
import type { Database } from './store/schema.js';
import { workerClientForNode } from './worker-client/index.js';

/** How long the replaced secret is accepted when the caller does not say: 10 minutes. */
export const DEFAULT_SECRET_GRACE_SECONDS = 600;
/** The longest grace period a rotation may give: 7 days. */
export const MAX_SECRET_GRACE_SECONDS = 604_800;

export interface NodeSecretRotation {
  /** The worker stored the new secret before this returned (over its Worker API). */
  readonly delivered: boolean;
  /** Why the worker could not be told at once; it is told in the answer to its next heartbeat. */
  readonly undeliveredReason: string | null;
  readonly pendingSince: Date | null;
  readonly previousValidUntil: Date | null;
}

export interface RotateNodeSecretOptions {
  readonly graceSeconds: number;
  readonly workerTimeoutMs: number;
  /** Told each time the node's secrets change in the store (the node API drops its cached copy). */
  readonly changed?: (nodeId: number) => void;
}

/**
 * Issues the node a new api_secret without a moment in which a request fails: the master accepts
 * the new secret at once beside the old one; the worker gets it sealed under the old one, over its
 * Worker API now or in its next heartbeat's answer; the first request it signs with the new one
 * (or its answer here) confirms it, and the old one is accepted for `graceSeconds` more, by both.
 *
 * @throws {NodeSecretRotationConflictError} when the node has not registered or a rotation is pending.
 */
export async function rotateNodeSecret(
  db: Kysely<Database>,
  fernet: Fernet,
  node: NodeRecord,
  options: RotateNodeSecretOptions,
): Promise<NodeSecretRotation> {
  const { graceSeconds } = options;
  if (!Number.isSafeInteger(graceSeconds) || graceSeconds < 1 || graceSeconds > MAX_SECRET_GRACE_SECONDS)
    throw new RangeError(`graceSeconds: expected an integer from 1 to ${MAX_SECRET_GRACE_SECONDS}`);
  const next = await beginSecretRotation(db, fernet, node.id, { graceMs: graceSeconds * 1000 });
  options.changed?.(node.id);

  let undeliveredReason: string | null = null;
  const client = await workerClientForNode(db, fernet, node, options.workerTimeoutMs);
  const current = (await readNodeSecrets(db, fernet, node.id))?.current;
  if (client === null || current === undefined) {
    undeliveredReason = 'the node has reported no Worker API address';
  } else {
    try {
      await client.replaceSecret(sealNodeSecret(next.secret, current), graceSeconds);
      await confirmSecretRotation(db, node.id, next);
      options.changed?.(node.id);
    } catch (error) {
      // The worker may still have stored it (the answer lost): its next signed call confirms it.
      undeliveredReason = (error as Error).message;
    }
  }
  const after = await getNode(db, node.id);
  return {
    delivered: undeliveredReason === null,
    undeliveredReason,
    pendingSince: after?.secretRotation.pendingSince ?? null,
    previousValidUntil: after?.secretRotation.previousValidUntil ?? null,
  };
}

/** What a rotation did, in a sentence for the operator. */
export function rotationMessage(rotation: NodeSecretRotation): string {
  if (rotation.delivered)
    return `the worker has the new secret; the old one is accepted until ${rotation.previousValidUntil?.toISOString() ?? 'now'}`;
  return `the worker could not be told now (${rotation.undeliveredReason ?? 'no answer'}): it gets the new secret with its next heartbeat, and both secrets work until then`;
}
