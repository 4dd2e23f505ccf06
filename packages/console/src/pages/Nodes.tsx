import { useState } from 'react';
import type { ClusterNode } from '../api/types';
import { LoadError } from '../components/LoadError';
import { Pill } from '../components/Pill';
import { type Column, Table } from '../components/Table';
import { Ago } from '../components/Time';
import { formatBytes } from '../lib/format';
import { useResource } from '../lib/use-resource';
import { AddNodeDialog } from './AddNodeDialog';

/** "xray 25.1.30 · running", or what is known of it. */
export function coreText(node: ClusterNode): string {
  const core = [node.coreFlavour, node.coreVersion].filter((part) => part !== null).join(' ');
  const status = node.online ? (node.coreStatus ?? 'unknown') : 'offline';
  return core === '' ? status : `${core} · ${status}`;
}

export const statusPill = (node: ClusterNode) => (
  <Pill text={node.online ? 'online' : 'offline'} tone={node.online ? 'good' : 'bad'} />
);

/** What needs the operator's eye beside the status: a refused certificate, a pending secret. */
function securityPills(node: ClusterNode) {
  return (
    <>
      {node.tlsMismatchAt !== null && (
        <Pill
          text="certificate mismatch"
          tone="warn"
          title="The worker presented another certificate: the master does not call it until it registers again"
        />
      )}
      {node.secretRotation.pendingSince !== null && (
        <Pill text="secret pending" tone="muted" title="A new secret waits for the worker's next heartbeat" />
      )}
    </>
  );
}

const columns: readonly Column<ClusterNode>[] = [
  { header: 'Name', cell: (n) => <a href={`#/nodes/${n.id}`}>{n.name}</a> },
  {
    header: 'Status',
    cell: (n) => (
      <span className="pill-row">
        {statusPill(n)}
        {securityPills(n)}
      </span>
    ),
  },
  { header: 'Core', cell: coreText },
  { header: 'Last heartbeat', cell: (n) => <Ago iso={n.lastHeartbeatAt} /> },
  { header: 'Version', cell: (n) => n.configVersion ?? <span className="muted">none yet</span> },
  {
    header: 'Traffic',
    numeric: true,
    cell: (n) => (
      <span className="nowrap">
        ↑ {formatBytes(n.traffic.up)} · ↓ {formatBytes(n.traffic.down)}
      </span>
    ),
  },
];

export function Nodes() {
  const nodes = useResource<ClusterNode[]>('/nodes', { every: 5000 });
  const [adding, setAdding] = useState(false);
  return (
    <>
      <div className="page-head">
        <h1>Nodes</h1>
        <button type="button" className="button primary" onClick={() => setAdding(true)}>
          Add node
        </button>
      </div>
      <LoadError error={nodes.error} onRetry={nodes.reload} />
      <section className="card flush">
        <Table
          caption="Nodes"
          hideCaption
          columns={columns}
          rows={nodes.data}
          rowKey={(n) => n.id}
          empty="No nodes yet. Add one, then run the command it shows on the new machine."
        />
      </section>
      {adding && (
        <AddNodeDialog
          onClose={() => {
            setAdding(false);
            nodes.reload();
          }}
        />
      )}
    </>
  );
}
