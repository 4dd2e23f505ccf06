import type { ClusterNode, UserTraffic } from '../api/types';
import { Dialog } from '../components/Dialog';
import { LoadError } from '../components/LoadError';
import { Table } from '../components/Table';
import { formatBytes } from '../lib/format';
import { useResource } from '../lib/use-resource';

/** A user's traffic on each node. */
export function UserTrafficDialog({
  email,
  onClose,
}: {
  readonly email: string;
  readonly onClose: () => void;
}) {
  const traffic = useResource<UserTraffic>(`/users/${encodeURIComponent(email)}/traffic`);
  const nodes = useResource<ClusterNode[]>('/nodes');
  const nameOf = (id: number) => nodes.data?.find((n) => n.id === id)?.name ?? `node ${id}`;
  const t = traffic.data;
  return (
    <Dialog title={`Traffic of ${email}`} onClose={onClose}>
      <LoadError error={traffic.error} onRetry={traffic.reload} />
      {t !== undefined && (
        <p>
          In all: ↑ {formatBytes(t.total.up)} · ↓ {formatBytes(t.total.down)}
        </p>
      )}
      <Table
        caption={`Traffic of ${email} per node`}
        hideCaption
        columns={[
          { header: 'Node', cell: (n) => nameOf(n.nodeId) },
          { header: 'Upload', numeric: true, cell: (n) => formatBytes(n.up) },
          { header: 'Download', numeric: true, cell: (n) => formatBytes(n.down) },
        ]}
        rows={t?.nodes}
        rowKey={(n) => n.nodeId}
        empty="No traffic yet."
      />
      <div className="actions">
        <button type="button" className="button primary" onClick={onClose}>
          Done
        </button>
      </div>
    </Dialog>
  );
}
