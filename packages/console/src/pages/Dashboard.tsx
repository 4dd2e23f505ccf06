import { type ReactNode, useState } from 'react';
import { isMissingRoute } from '../api/client';
import type {
  AuditPage,
  ClusterNode,
  Summary,
  TrafficHistory,
  TrafficPoint,
  TrafficRange,
} from '../api/types';
import { LoadError } from '../components/LoadError';
import { Pill } from '../components/Pill';
import { type Column, Table } from '../components/Table';
import { TrafficChart } from '../components/TrafficChart';
import { formatBytes, formatCount } from '../lib/format';
import { useResource } from '../lib/use-resource';
import { auditColumns } from './audit-columns';

const RANGES: readonly { range: TrafficRange; label: string }[] = [
  { range: 'hour', label: 'Last hour' },
  { range: 'day', label: 'Last day' },
  { range: 'month', label: 'Last month' },
];

interface NodeTraffic {
  readonly nodeId: number;
  readonly name: string;
  readonly up: number;
  readonly down: number;
}

const sum = (points: readonly TrafficPoint[], field: 'up' | 'down') =>
  points.reduce((total, p) => total + Number(p[field]), 0);

const nodeTrafficColumns: readonly Column<NodeTraffic>[] = [
  { header: 'Node', cell: (n) => <a href={`#/nodes/${n.nodeId}`}>{n.name}</a> },
  { header: 'Upload', numeric: true, cell: (n) => formatBytes(n.up) },
  { header: 'Download', numeric: true, cell: (n) => formatBytes(n.down) },
];

function Stat({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section className="card stat" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

export function Dashboard() {
  const [range, setRange] = useState<TrafficRange>('hour');
  const summary = useResource<Summary>('/cluster/summary', { every: 10_000 });
  const history = useResource<TrafficHistory>('/cluster/traffic', { query: { range }, every: 30_000 });
  const noHistory = isMissingRoute(history.failure);
  const nodes = useResource<ClusterNode[]>(noHistory ? '/nodes' : null);
  const audit = useResource<AuditPage>('/audit', { query: { limit: 8 }, every: 10_000 });
  const s = summary.data;

  const perNode: NodeTraffic[] | undefined = noHistory
    ? nodes.data?.map((n) => ({
        nodeId: n.id,
        name: n.name,
        up: Number(n.traffic.up),
        down: Number(n.traffic.down),
      }))
    : history.data?.nodes.map((n) => ({
        nodeId: n.nodeId,
        name: n.name,
        up: sum(n.points, 'up'),
        down: sum(n.points, 'down'),
      }));

  return (
    <>
      <h1>Dashboard</h1>
      <LoadError error={summary.error} onRetry={summary.reload} />
      <div className="stats">
        <Stat id="stat-nodes" title="Nodes">
          <p className="big">
            <span className="good-text">{s === undefined ? '…' : `${s.nodes.online} online`}</span>
          </p>
          <p className="muted">
            {s === undefined ? '…' : `${s.nodes.offline} offline`} · <a href="#/nodes">Manage nodes</a>
          </p>
        </Stat>
        <Stat id="stat-cores" title="Cores">
          {s === undefined ? (
            <p className="big">…</p>
          ) : Object.keys(s.cores).length === 0 ? (
            <p className="muted">No nodes yet: add one on the Nodes page.</p>
          ) : (
            <ul className="pills">
              {Object.entries(s.cores).map(([status, count]) => (
                <li key={status}>
                  <Pill
                    text={`${count} ${status}`}
                    tone={status === 'running' ? 'good' : status === 'offline' ? 'bad' : 'warn'}
                  />
                </li>
              ))}
            </ul>
          )}
        </Stat>
        <Stat id="stat-users" title="Users">
          <p className="big">{s === undefined ? '…' : `${formatCount(s.users.enabled)} enabled`}</p>
          <p className="muted">
            {s === undefined ? '…' : `${formatCount(s.users.total)} in all`} ·{' '}
            <a href="#/users">Manage users</a>
          </p>
        </Stat>
        <Stat id="stat-traffic" title="Traffic in all">
          <p className="big">
            {s === undefined ? '…' : formatBytes(BigInt(s.traffic.up) + BigInt(s.traffic.down))}
          </p>
          <p className="muted">
            {s === undefined ? '…' : `↑ ${formatBytes(s.traffic.up)} · ↓ ${formatBytes(s.traffic.down)}`}
          </p>
        </Stat>
      </div>

      <section className="card" aria-labelledby="traffic-title">
        <div className="section-head">
          <h2 id="traffic-title">Traffic</h2>
          <div className="segmented" role="group" aria-label="Range">
            {RANGES.map((r) => (
              <button
                key={r.range}
                type="button"
                className="button small"
                aria-pressed={range === r.range}
                onClick={() => setRange(r.range)}
              >
                {r.label}
              </button>
            ))}
          </div>
        </div>
        {noHistory ? (
          <p className="muted">
            This master keeps no traffic history yet (update signet): below are the totals since each node
            started.
          </p>
        ) : (
          <>
            <LoadError error={history.error} onRetry={history.reload} />
            <TrafficChart points={history.data?.total.points ?? []} range={range} />
            {history.data !== undefined && (
              <p className="muted small">
                {RANGES.find((r) => r.range === range)?.label}: ↑{' '}
                {formatBytes(sum(history.data.total.points, 'up'))} · ↓{' '}
                {formatBytes(sum(history.data.total.points, 'down'))}, in buckets of{' '}
                {history.data.bucketSeconds >= 3600
                  ? `${history.data.bucketSeconds / 3600} h`
                  : `${history.data.bucketSeconds / 60} min`}
                ; times in UTC.
              </p>
            )}
          </>
        )}
        <Table
          caption="Traffic per node"
          columns={nodeTrafficColumns}
          rows={perNode}
          rowKey={(n) => n.nodeId}
          empty="No nodes yet: add one on the Nodes page."
        />
      </section>

      <section className="card" aria-labelledby="recent-title">
        <div className="section-head">
          <h2 id="recent-title">Recent activity</h2>
          <a href="#/audit">Open the audit log</a>
        </div>
        <LoadError error={audit.error} onRetry={audit.reload} />
        <Table
          caption="Recent audit events"
          columns={auditColumns.filter((c) => ['Time', 'Actor', 'Action', 'Result'].includes(c.header))}
          rows={audit.data?.events}
          rowKey={(e) => e.id}
          empty="Nothing has happened yet."
        />
      </section>
    </>
  );
}
