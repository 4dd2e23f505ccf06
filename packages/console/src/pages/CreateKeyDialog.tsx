import { type FormEvent, useState } from 'react';
import { api } from '../api/client';
import type { Algorithm, IssuedKey } from '../api/types';
import { FormActions } from '../components/FormActions';
import { Dialog } from '../components/Dialog';
import { LoadError } from '../components/LoadError';
import { useAction } from '../lib/use-action';
import { useResource } from '../lib/use-resource';
import { IssuedKeyView } from './IssuedKeyView';

const DEFAULT = 'L3.SHA256';

/** Seed 003's key page: pick an algorithm and a scope; the secret key is then shown once. */
export function CreateKeyDialog({ onClose }: { readonly onClose: () => void }) {
  const algorithms = useResource<Algorithm[]>('/keys/algorithms');
  const [algorithm, setAlgorithm] = useState(DEFAULT);
  const [scope, setScope] = useState<'read-only' | 'read-write'>('read-only');
  const [description, setDescription] = useState('');
  const [issued, setIssued] = useState<IssuedKey | null>(null);
  const action = useAction();
  // The default first, then the other L3 rows, then L0 (only when the server allows it).
  const allowed = (algorithms.data ?? [{ name: DEFAULT, level: 3, allowed: true }])
    .filter((a) => a.allowed)
    .sort((a, b) => Number(b.name === DEFAULT) - Number(a.name === DEFAULT) || b.level - a.level);
  const level0 = allowed.find((a) => a.name === algorithm)?.level === 0;

  const create = async (event: FormEvent) => {
    event.preventDefault();
    const key = await action.run('Creating…', () =>
      api.post<IssuedKey>('/keys', {
        algorithm,
        scope,
        ...(description.trim() === '' ? {} : { description: description.trim() }),
      }),
    );
    if (key !== undefined) setIssued(key);
  };

  if (issued !== null) {
    return (
      <Dialog title="Key created" wide>
        <IssuedKeyView issued={issued} />
        <div className="actions">
          <button type="button" className="button primary" onClick={onClose}>
            Done
          </button>
        </div>
      </Dialog>
    );
  }

  return (
    <Dialog title="Create key" onClose={() => !action.busy && onClose()}>
      <form className="stack" onSubmit={(event) => void create(event)}>
        <LoadError error={algorithms.error} onRetry={algorithms.reload} />
        <label className="field">
          <span>Algorithm</span>
          <select value={algorithm} onChange={(e) => setAlgorithm(e.target.value)}>
            {allowed.map((a) => (
              <option key={a.name} value={a.name}>
                {a.name}
                {a.name === DEFAULT ? ' (recommended)' : a.level === 0 ? ' (testing only)' : ''}
              </option>
            ))}
          </select>
        </label>
        {level0 && (
          <p className="warning">
            <strong>Warning:</strong> an L0 key sends its secret (or a fixed hash of it) with every call and
            never expires: anyone who sees one request can replay it forever. Use it for testing only; choose
            an L3 algorithm for anything real.
          </p>
        )}
        <label className="field">
          <span>Scope</span>
          <select value={scope} onChange={(e) => setScope(e.target.value as 'read-only' | 'read-write')}>
            <option value="read-only">read-only</option>
            <option value="read-write">read-write</option>
          </select>
        </label>
        <label className="field">
          <span>Description</span>
          <input
            maxLength={200}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
            placeholder="What uses this key, e.g. billing export"
          />
        </label>
        <FormActions action={action} onCancel={onClose} submit="Create" />
      </form>
    </Dialog>
  );
}
