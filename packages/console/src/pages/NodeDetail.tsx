import { type ReactNode, useState } from 'react';
import { api } from '../api/client';
import type { ClusterNode, NodeConfig as Config, RegistrationToken } from '../api/types';
import { ActionStatus } from '../components/ActionStatus';
import { Confirm, type ConfirmRequest } from '../components/Confirm';
import { Dialog } from '../components/Dialog';
import { LoadError } from '../components/LoadError';
import { Ago, Time } from '../components/Time';
import { WorkerCommand } from '../components/WorkerCommand';
import { formatBytes } from '../lib/format';
import { navigate } from '../lib/router';
import { useAction } from '../lib/use-action';
import { useResource } from '../lib/use-resource';
import { NodeConfig } from './NodeConfig';
import { NodeSecurity } from './NodeSecurity';
import { NodeLog } from './NodeLog';
import { NodeSettingsForm } from './NodeSettingsForm';
import { coreText, statusPill } from './Nodes';
import { RotateSecretDialog } from './RotateSecretDialog';

function Facts({ node }: { readonly node: ClusterNode }) {
  const stats = node.stats ?? {};
  const rows: [string, ReactNode][] = [
    ['Status', statusPill(node)],
    ['Core', coreText(node)],
    ['Last heartbeat', <Ago iso={node.lastHeartbeatAt} />],
    ['Worker API', node.workerUrl ?? <span className="muted">not reported yet</span>],
    ['Registered', <Time iso={node.registeredAt} />],
    ['Traffic', `↑ ${formatBytes(node.traffic.up)} · ↓ ${formatBytes(node.traffic.down)}`],
    ...(stats['connections'] === undefined
      ? []
      : [['Connections', String(stats['connections'])] as [string, string]]),
    ['Created', <Time iso={node.createdAt} />],
  ];
  return (
    <dl className="facts card">
      {rows.map(([term, value]) => (
        <div key={term}>
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

export function NodeDetail({ id }: { readonly id: string }) {
  const node = useResource<ClusterNode>(`/nodes/${encodeURIComponent(id)}`, { every: 5000 });
  const config = useResource<Config>(`/nodes/${encodeURIComponent(id)}/config`);
  const [confirm, setConfirm] = useState<ConfirmRequest | null>(null);
  const [issued, setIssued] = useState<RegistrationToken | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [rotating, setRotating] = useState(false);
  const token = useAction();
  const n = node.data;

  if (n === undefined) {
    return (
      <>
        <p className="crumbs">
          <a href="#/nodes">← Nodes</a>
        </p>
        <h1>{node.error === null ? 'Loading node…' : 'Node not available'}</h1>
        <LoadError error={node.error} onRetry={node.reload} />
      </>
    );
  }

  const askRestart = () =>
    setConfirm({
      title: 'Restart core?',
      question: `Restart the core on ${n.name}? Its connections drop for a moment; its traffic counters are read first.`,
      verb: 'Restart',
      progress: 'Restarting…',
      danger: false,
      run: async () => {
        const answer = await api.post<{ message: string }>(`/nodes/${n.id}/restart`);
        setNotice(`Core restarted: ${answer.message}`);
        node.reload();
      },
    });

  const askDelete = () =>
    setConfirm({
      title: 'Delete node?',
      question: `Delete node ${n.name}? Its worker is refused from then on, and its tokens and traffic rows are removed.`,
      verb: 'Delete',
      progress: 'Deleting…',
      run: async () => {
        await api.delete(`/nodes/${n.id}`);
        navigate('/nodes');
      },
    });

  const newToken = async () => {
    const result = await token.run('Issuing a token…', () =>
      api.post<RegistrationToken>(`/nodes/${n.id}/token`),
    );
    if (result !== undefined) setIssued(result);
  };

  return (
    <>
      <p className="crumbs">
        <a href="#/nodes">← Nodes</a>
      </p>
      <div className="page-head">
        <h1>{n.name}</h1>
        <div className="actions">
          <button type="button" className="button" onClick={() => void newToken()} disabled={token.busy}>
            New registration token
          </button>
          <button type="button" className="button" onClick={askRestart}>
            Restart core
          </button>
          <button type="button" className="button danger" onClick={askDelete}>
            Delete node
          </button>
        </div>
      </div>
      {notice !== null && (
        <p role="status" className="status done">
          {notice}
        </p>
      )}
      <ActionStatus action={token} />
      <LoadError error={node.error} onRetry={node.reload} />
      <Facts node={n} />
      <NodeSecurity node={n} onRotate={() => setRotating(true)} />
      <div className="columns">
        <NodeSettingsForm node={n} onSaved={config.reload} />
        <NodeConfig nodeId={n.id} config={config} appliedVersion={n.configVersion} />
      </div>
      <NodeLog nodeId={n.id} />
      {rotating && (
        <RotateSecretDialog
          node={n}
          onClose={() => setRotating(false)}
          onDone={(answer) => {
            setRotating(false);
            setNotice(
              `${answer.delivered ? 'Secret rotated and delivered' : 'Secret rotated, not delivered yet'}: ${answer.message}`,
            );
            node.reload();
          }}
        />
      )}
      {confirm !== null && <Confirm request={confirm} onClose={() => setConfirm(null)} />}
      {issued !== null && (
        <Dialog title={`Register ${n.name} again`} wide>
          <WorkerCommand issued={issued} />
          <div className="actions">
            <button type="button" className="button primary" onClick={() => setIssued(null)}>
              Done
            </button>
          </div>
        </Dialog>
      )}
    </>
  );
}
