// A real Worker API (the worker's own routes and signature checks) on 127.0.0.1 with a stand-in
// node behind it that records what it was asked, for the master's worker client to talk to.
import Fastify, { type FastifyInstance } from 'fastify';
import { MemoryReplayStore } from '@signet/auth';
import { ConfigRejectedError, type NodeControl, workerApi } from '@signet/worker';

export { ConfigRejectedError };

export interface FakeNode extends NodeControl {
  readonly calls: string[];
  /** Makes the next restart fail (the worker answers 500). */
  failRestart: boolean;
}

export function fakeNode(secret: string): FakeNode {
  const node: FakeNode = {
    calls: [],
    failRestart: false,
    registered: () => true,
    coreStatus: () => 'running',
    restartCore: async () => {
      node.calls.push('restart');
      if (node.failRestart) throw new Error('core would not start');
    },
    applyConfig: async (config) => {
      if (config.includes('"refuse-me"')) throw new ConfigRejectedError('unknown inbound protocol');
      node.calls.push(`config ${config}`);
    },
    logs: (lines) => {
      node.calls.push(`logs ${lines}`);
      return Array.from({ length: lines }, (_, i) => `line ${i}`).join('\n');
    },
    stats: () => ({ uptime: 86400, connections: 15, traffic_up: 1073741824, traffic_down: 5368709120 }),
    secret: () => secret,
    replaceSecret: (sealed, graceSeconds) => {
      node.calls.push(`secret ${sealed} ${graceSeconds}`);
      return true;
    },
  };
  return node;
}

export interface WorkerApiApp {
  readonly app: FastifyInstance;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
}

export async function startWorkerApi(node: NodeControl): Promise<WorkerApiApp> {
  const app = Fastify({ ajv: { customOptions: { coerceTypes: false, removeAdditional: false } } });
  await app.register(workerApi, { node, replay: new MemoryReplayStore() });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return { app, url: `http://127.0.0.1:${address.port}` };
}
