import type { Fernet } from '@signet/auth';
import type { Kysely } from 'kysely';
import {
  confirmSecretRotation,
  flagTlsMismatch,
  type NodeRecord,
  type NodeSecrets,
  readNodeSecrets,
} from '../store/index.js';
import type { Database } from '../store/schema.js';
import { WorkerClient } from './worker-client.js';

/**
 * A client for the node's Worker API, signing with the node's current secret and accepting only the
 * certificate the node registered with, if it registered one (another is refused and flagged).
 * During a rotation the worker may hold the next secret before the master has seen it confirmed:
 * a call it refuses is tried with that one, which then confirms the rotation. Null when the node
 * has reported no Worker API address (or no longer exists).
 */
export async function workerClientForNode(
  db: Kysely<Database>,
  fernet: Fernet,
  node: NodeRecord,
  options: {
    readonly timeoutMs: number;
    readonly changed?: ((nodeId: number) => void) | undefined;
    /** The node's secrets as the caller read them (default: read now). */
    readonly secrets?: NodeSecrets;
  },
): Promise<WorkerClient | null> {
  const secrets = options.secrets ?? (await readNodeSecrets(db, fernet, node.id));
  if (node.workerUrl === null || secrets === null) return null;
  const pin = node.tlsFingerprint;
  const { next } = secrets;
  return new WorkerClient({
    baseUrl: node.workerUrl,
    secret: secrets.current,
    timeoutMs: options.timeoutMs,
    fingerprint: pin,
    onCertificateMismatch: async () => {
      if (pin !== null) await flagTlsMismatch(db, node.id, pin);
    },
    ...(next === null
      ? {}
      : {
          nextSecret: next.secret,
          onNextSecretAccepted: async () => {
            if (await confirmSecretRotation(db, node.id, next)) options.changed?.(node.id);
          },
        }),
  });
}
