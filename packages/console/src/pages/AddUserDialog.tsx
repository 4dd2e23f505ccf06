import { type FormEvent, useState } from 'react';
import { api } from '../api/client';
import type { ProxyUser } from '../api/types';
import { FormActions } from '../components/FormActions';
import { Dialog } from '../components/Dialog';
import { useAction } from '../lib/use-action';

/** A new proxy user: an email to name it and its VLESS UUID, generated here. */
export function AddUserDialog({
  onClose,
  onCreated,
}: {
  readonly onClose: () => void;
  readonly onCreated: (user: ProxyUser) => void;
}) {
  const [email, setEmail] = useState('');
  const [uuid, setUuid] = useState<string>(() => crypto.randomUUID());
  const action = useAction();

  const create = async (event: FormEvent) => {
    event.preventDefault();
    const user = await action.run('Creating…', () =>
      api.post<ProxyUser>('/users', { email: email.trim(), id: uuid.trim().toLowerCase() }),
    );
    if (user !== undefined) onCreated(user);
  };

  return (
    <Dialog title="Add user" onClose={() => !action.busy && onClose()}>
      <form className="stack" onSubmit={(event) => void create(event)}>
        <label className="field">
          <span>Email</span>
          <input
            type="email"
            required
            maxLength={254}
            autoComplete="off"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            placeholder="alice@example.com"
            autoFocus
          />
        </label>
        <div className="field">
          <label htmlFor="new-user-uuid">UUID</label>
          <div className="inline">
            <input
              id="new-user-uuid"
              className="mono grow"
              required
              pattern="[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
              title="A UUID such as 3f1c2b4e-…"
              value={uuid}
              onChange={(e) => setUuid(e.target.value)}
            />
            <button type="button" className="button" onClick={() => setUuid(crypto.randomUUID())}>
              New UUID
            </button>
          </div>
          <span className="muted small">The user's VLESS id: their credential on every node.</span>
        </div>
        <FormActions action={action} onCancel={onClose} submit="Create user" />
      </form>
    </Dialog>
  );
}
