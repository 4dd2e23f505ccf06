import { type Fernet, MAX_SECRET_GRACE_SECONDS, sealNodeSecret } from '@signet/auth';

export { MAX_SECRET_GRACE_SECONDS };
import type { Kysely } from 'kysely';
import {
  beginSecretRotation,
  confirmSecretRotation,
  getNode,
  type NextSecret,
  type NodeRecord,
  type NodeSecrets,
  readNodeSecrets,
} from './store/index.js';
import type { Database } from './store/schema.js';
import { NODE_SECRETS_TTL_MS } from './routes/node-keyrings.js';
import { workerClientForNode } from './worker-client/index.js';

/** How long the replaced secret is accepted when the caller does not say: 10 minutes. */
export const DEFAULT_SECRET_GRACE_SECONDS = 600;
/** The shortest grace: no master process may still hold the old secret as current past it. */
export const MIN_SECRET_GRACE_SECONDS = NODE_SECRETS_TTL_MS / 1000;

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
  if (
    !Number.isSafeInteger(graceSeconds) ||
    graceSeconds < MIN_SECRET_GRACE_SECONDS ||
    graceSeconds > MAX_SECRET_GRACE_SECONDS
  )
    throw new RangeError(
      `graceSeconds: expected an integer from ${MIN_SECRET_GRACE_SECONDS} to ${MAX_SECRET_GRACE_SECONDS}`,
    );
  const next = await beginSecretRotation(db, fernet, node.id, { graceMs: graceSeconds * 1000 });
  options.changed?.(node.id);
  // One read: the push is signed with the secret the new one is sealed under, and nothing else.
  const secrets = await readNodeSecrets(db, fernet, node.id);
  const undeliveredReason =
    secrets === null || secrets.next?.token !== next.token
      ? 'the node registered again meanwhile'
      : await deliver(db, fernet, node, secrets, next, options);
  const after = await getNode(db, node.id);
  return {
    delivered: undeliveredReason === null,
    undeliveredReason,
    pendingSince: after?.secretRotation.pendingSince ?? null,
    previousValidUntil: after?.secretRotation.previousValidUntil ?? null,
  };
}

/**
 * Hands the worker its next secret over the Worker API and confirms the rotation when it has
 * stored it; null when done, else why not (the heartbeat answer will carry it).
 */
async function deliver(
  db: Kysely<Database>,
  fernet: Fernet,
  node: NodeRecord,
  secrets: NodeSecrets,
  next: NextSecret,
  options: RotateNodeSecretOptions,
): Promise<string | null> {
  const client = await workerClientForNode(db, fernet, node, {
    timeoutMs: options.workerTimeoutMs,
    secrets: { ...secrets, next: null }, // the push itself is never signed with the next secret
  });
  if (client === null) return 'the node has reported no Worker API address';
  try {
    await client.replaceSecret(sealNodeSecret(next.secret, secrets.current), options.graceSeconds);
  } catch (error) {
    // The worker may still have stored it (the answer lost): its next signed call confirms it.
    return (error as Error).message;
  }
  const confirmed = await confirmSecretRotation(db, node.id, next);
  options.changed?.(node.id);
  if (confirmed || (await readNodeSecrets(db, fernet, node.id))?.current === next.secret) return null;
  return 'the node registered again while its worker was told';
}

/** What a rotation did, in a sentence for the operator. */
export function rotationMessage(rotation: NodeSecretRotation): string {
  if (rotation.delivered)
    return `the worker has the new secret; the old one is accepted until ${rotation.previousValidUntil?.toISOString() ?? 'now'}`;
  return `the worker could not be told now (${rotation.undeliveredReason ?? 'no answer'}): it gets the new secret with its next heartbeat, and both secrets work until then`;
}
