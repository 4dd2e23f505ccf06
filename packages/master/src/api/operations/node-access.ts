import { getNode, type NodeRecord, trafficTotals } from '../../store/index.js';
import { type WorkerClient, workerClientForNode } from '../../worker-client/index.js';
import { generateCoreConfig, type GeneratedConfig } from '../../xray-config/index.js';
import { listUsers } from '../../store/index.js';
import { V1Error } from '@signet/server';
import { notFound } from '../errors.js';
import type { Caller } from '../caller.js';
import type { ApiDeps } from '../operation.js';
import { nodeView, sumTraffic } from '../views.js';

/** The largest id the stores hand out (PostgreSQL `integer`). */
const MAX_ID = 2_147_483_647;

/** The node named by `:id`, or a 404. */
export async function nodeOf(deps: ApiDeps, id: string): Promise<NodeRecord> {
  const nodeId = Number(id);
  if (!(nodeId <= MAX_ID)) throw notFound('node');
  const node = await getNode(deps.db, nodeId);
  if (node === null) throw notFound('node');
  return node;
}

/** A node as the API shows it to `caller`, with its traffic. */
export async function nodeWithTraffic(deps: ApiDeps, node: NodeRecord, caller: Caller) {
  const traffic = sumTraffic(await trafficTotals(deps.db, { nodeId: node.id, email: '' }));
  return nodeView(node, traffic, { credentials: caller.canWrite });
}

/** A client for the node's Worker API (`workerClientForNode`), or a 409 when it has no address yet. */
export async function workerOf(deps: ApiDeps, node: NodeRecord): Promise<WorkerClient> {
  const client = await workerClientForNode(deps.db, deps.fernet, node, {
    timeoutMs: deps.workerTimeoutMs,
    changed: deps.nodeSecretsChanged,
  });
  if (client === null)
    throw new V1Error(40900, 'the node has not reported a Worker API address yet (is its worker running?)');
  return client;
}

/** The core config the master generates for a node: what its worker pulls (seed 000's /api/node/config). */
export async function coreConfigOf(deps: ApiDeps, node: NodeRecord): Promise<GeneratedConfig> {
  const users = (await listUsers(deps.db)).filter((user) => user.enabled);
  return generateCoreConfig(node, users, { flavour: node.coreFlavour === 'v2ray' ? 'v2ray' : 'xray' });
}

/** The line to paste on a new node; it pins this master's certificate when the master serves TLS. */
export function workerCommand(deps: ApiDeps, origin: string, token: string): string {
  const fingerprint = deps.masterFingerprint();
  const pin = fingerprint === null ? '' : ` --master-fingerprint ${fingerprint}`;
  return `signet worker --master ${deps.publicUrl ?? origin} --token ${token}${pin}`;
}
