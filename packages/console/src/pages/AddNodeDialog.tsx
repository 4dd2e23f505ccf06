import { type FormEvent, useState } from 'react';
import { api } from '../api/client';
import type { ClusterNode, RegistrationToken } from '../api/types';
import { FormActions } from '../components/FormActions';
import { Dialog } from '../components/Dialog';
import { WorkerCommand } from '../components/WorkerCommand';
import { useAction } from '../lib/use-action';

type Created = RegistrationToken & { readonly node: ClusterNode };

/** Names a node, then shows its one-time token and the `signet worker` line. */
export function AddNodeDialog({ onClose }: { readonly onClose: () => void }) {
  const [name, setName] = useState('');
  const [created, setCreated] = useState<Created | null>(null);
  const action = useAction();

  const create = async (event: FormEvent) => {
    event.preventDefault();
    const result = await action.run('Creating…', () => api.post<Created>('/nodes', { name: name.trim() }));
    if (result !== undefined) setCreated(result);
  };

  if (created !== null) {
    return (
      <Dialog title={`Node ${created.node.name} created`} wide>
        <WorkerCommand issued={created} />
        <div className="actions">
          <button type="button" className="button primary" onClick={onClose}>
            Done
          </button>
        </div>
      </Dialog>
    );
  }
  return (
    <Dialog title="Add node" onClose={() => !action.busy && onClose()}>
      <form onSubmit={(event) => void create(event)} className="stack">
        <label className="field">
          <span>Node name</span>
          <input
            required
            maxLength={64}
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="e.g. fra-1"
            autoFocus
          />
        </label>
        <p className="muted small">
          The node gets the default settings (VLESS on 443); change them on its page afterwards.
        </p>
        <FormActions action={action} onCancel={onClose} submit="Create" />
      </form>
    </Dialog>
  );
}
