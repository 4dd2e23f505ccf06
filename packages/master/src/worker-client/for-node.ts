import type { Fernet } from '@signet/auth';
import type { Kysely } from 'kysely';
import { flagTlsMismatch, getApiSecret, type NodeRecord } from '../store/index.js';
import type { Database } from '../store/schema.js';
import { WorkerClient } from './worker-client.js';

/**
 * A client for the node's Worker API, signing with the node's current secret and accepting only the
 * certificate the node registered with, if it registered one (another is refused and flagged).
 * Null when the node has reported no Worker API address (or no longer exists).
 */
export async function workerClientForNode(
  db: Kysely<Database>,
  fernet: Fernet,
  node: NodeRecord,
  timeoutMs: number,
): Promise<WorkerClient | null> {
  const secret = await getApiSecret(db, fernet, node.id);
  if (node.workerUrl === null || secret === null) return null;
  const pin = node.tlsFingerprint;
  return new WorkerClient({
    baseUrl: node.workerUrl,
    secret,
    timeoutMs,
    fingerprint: pin,
    onCertificateMismatch: async () => {
      if (pin !== null) await flagTlsMismatch(db, node.id, pin);
    },
  });
}
