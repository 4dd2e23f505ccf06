import {
  bucketStart,
  listNodes,
  listUsers,
  TRAFFIC_RESOLUTIONS,
  type TrafficResolution,
  trafficHistory,
  trafficTotals,
} from '../../store/index.js';
import { operation } from '../operation.js';
import { arrayOf, bytes, object, trafficSchema } from '../schemas.js';
import { sumTraffic } from '../views.js';

const count = { type: 'integer' };

/** What each chart range shows: buckets of which resolution, how many (the last one is still filling). */
type Range = 'hour' | 'day' | 'month';
const RANGES: Readonly<Record<Range, { resolution: TrafficResolution; buckets: number }>> = {
  hour: { resolution: 'minute', buckets: 60 },
  day: { resolution: 'hour', buckets: 24 },
  month: { resolution: 'day', buckets: 30 },
};
const pointsSchema = arrayOf(object({ at: { type: 'string' }, up: bytes, down: bytes }));

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
  operation({
    id: 'cluster.traffic',
    method: 'GET',
    path: '/cluster/traffic',
    write: false,
    tag: 'cluster',
    summary:
      'Bytes over time, in total and per node: the last hour by minute, day by hour or month by day (UTC), oldest first, every bucket present',
    query: object({ range: { enum: Object.keys(RANGES) } }, []),
    data: object({
      range: { type: 'string' },
      bucketSeconds: count,
      from: { type: 'string' },
      to: { type: 'string' },
      total: object({ points: pointsSchema }),
      nodes: arrayOf(object({ nodeId: count, name: { type: 'string' }, points: pointsSchema })),
    }),
    run: async ({ query }, _caller, { db }) => {
      const range = (query.range ?? 'hour') as Range; // the schema allows only RANGES' keys
      const { resolution, buckets } = RANGES[range];
      const { bucketMs } = TRAFFIC_RESOLUTIONS[resolution];
      const to = bucketStart(resolution, Date.now()) + bucketMs;
      const from = to - buckets * bucketMs;
      const [nodes, rows] = await Promise.all([
        listNodes(db),
        trafficHistory(db, resolution, { from: new Date(from), to: new Date(to) }),
      ]);
      // One pass over the rows: per node and in total, bytes by bucket start.
      const total = new Map<number, { up: bigint; down: bigint }>();
      const byNode = new Map<number, Map<number, { up: bigint; down: bigint }>>();
      const add = (into: Map<number, { up: bigint; down: bigint }>, at: number, up: bigint, down: bigint) => {
        const sum = into.get(at) ?? { up: 0n, down: 0n };
        into.set(at, { up: sum.up + up, down: sum.down + down });
      };
      for (const row of rows) {
        const at = row.start.getTime();
        add(total, at, row.up, row.down);
        const node = byNode.get(row.nodeId) ?? new Map<number, { up: bigint; down: bigint }>();
        byNode.set(row.nodeId, node);
        add(node, at, row.up, row.down);
      }
      const series = (sums: Map<number, { up: bigint; down: bigint }> | undefined) =>
        Array.from({ length: buckets }, (_, i) => {
          const start = from + i * bucketMs;
          const sum = sums?.get(start);
          return {
            at: new Date(start).toISOString(),
            up: String(sum?.up ?? 0n),
            down: String(sum?.down ?? 0n),
          };
        });
      return {
        range,
        bucketSeconds: bucketMs / 1000,
        from: new Date(from).toISOString(),
        to: new Date(to).toISOString(),
        total: { points: series(total) },
        nodes: nodes.map((node) => ({
          nodeId: node.id,
          name: node.name,
          points: series(byNode.get(node.id)),
        })),
      };
    },
  }),
];
