import { listNodes, listUsers, trafficTotals } from '../../store/index.js';
import { operation } from '../operation.js';
import { object, trafficSchema } from '../schemas.js';
import { sumTraffic } from '../views.js';

const count = { type: 'integer' };

export const clusterOperations = [
  operation({
    id: 'cluster.summary',
    method: 'GET',
    path: '/cluster/summary',
    write: false,
    tag: 'cluster',
    summary: 'Nodes online and offline, core states, users, and the traffic of the whole cluster',
    data: object({
      nodes: object({ total: count, online: count, offline: count }),
      cores: { type: 'object', additionalProperties: count },
      users: object({ total: count, enabled: count }),
      traffic: trafficSchema,
    }),
    run: async (_input, _caller, { db }) => {
      const [nodes, users, totals] = await Promise.all([
        listNodes(db),
        listUsers(db),
        trafficTotals(db, { email: '' }),
      ]);
      const online = nodes.filter((n) => n.online).length;
      const cores: Record<string, number> = {};
      for (const node of nodes) {
        const status = node.online ? (node.coreStatus ?? 'unknown') : 'offline';
        cores[status] = (cores[status] ?? 0) + 1;
      }
      return {
        nodes: { total: nodes.length, online, offline: nodes.length - online },
        cores,
        users: { total: users.length, enabled: users.filter((u) => u.enabled).length },
        traffic: sumTraffic(totals),
      };
    },
  }),
];
