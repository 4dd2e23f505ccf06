import { useState } from 'react';
import { api } from '../api/client';
import type { AccessKey, IssuedKey } from '../api/types';
import { ActionStatus } from '../components/ActionStatus';
import { Confirm, type ConfirmRequest } from '../components/Confirm';
import { Dialog } from '../components/Dialog';
import { LoadError } from '../components/LoadError';
import { Pill } from '../components/Pill';
import { type Column, Table } from '../components/Table';
import { Ago } from '../components/Time';
import { formatCount } from '../lib/format';
import { useAction } from '../lib/use-action';
import { useResource } from '../lib/use-resource';
import { CreateKeyDialog } from './CreateKeyDialog';
import { IssuedKeyView } from './IssuedKeyView';

export function AccessKeys() {
  const keys = useResource<AccessKey[]>('/keys', { every: 15_000 });
  const [creating, setCreating] = useState(false);
  const [rotated, setRotated] = useState<IssuedKey | null>(null);
  const [confirm, setConfirm] = useState<ConfirmRequest | null>(null);
  const toggle = useAction();

  const path = (k: AccessKey) => `/keys/${encodeURIComponent(k.accessKey)}`;
  const enable = (k: AccessKey) =>
    void toggle
      .run(
        `Enabling ${k.accessKey}…`,
        () => api.post(`${path(k)}/enable`),
        () => `${k.accessKey} enabled: calls signed with it are accepted again.`,
      )
      .then(keys.reload);
  const askDisable = (k: AccessKey) =>
    setConfirm({
      title: 'Disable key?',
      question: `Disable ${k.accessKey}? Calls signed with it are refused from now on; you can enable it again.`,
      verb: 'Disable',
      progress: 'Disabling…',
      run: async () => {
        await api.post(`${path(k)}/disable`);
        toggle.say(`${k.accessKey} disabled: calls signed with it are refused.`);
        keys.reload();
      },
    });
  const askRotate = (k: AccessKey) =>
    setConfirm({
      title: 'Rotate key?',
      question: `Give ${k.accessKey} a new secret key? The old secret stops working at once.`,
      verb: 'Rotate',
      progress: 'Rotating…',
      run: async () => {
        setRotated(await api.post<IssuedKey>(`${path(k)}/rotate`));
        keys.reload();
      },
    });
  const askDelete = (k: AccessKey) =>
    setConfirm({
      title: 'Delete key?',
      question: `Delete ${k.accessKey}? Calls signed with it are refused for good.`,
      verb: 'Delete',
      progress: 'Deleting…',
      run: async () => {
        await api.delete(path(k));
        toggle.say(`${k.accessKey} deleted.`);
        keys.reload();
      },
    });

  const columns: readonly Column<AccessKey>[] = [
    { header: 'Access key', cell: (k) => <code>{k.accessKey}</code> },
    { header: 'Algorithm', cell: (k) => k.algorithm },
    { header: 'Scope', cell: (k) => k.scope },
    {
      header: 'Status',
      cell: (k) => <Pill text={k.enabled ? 'enabled' : 'disabled'} tone={k.enabled ? 'good' : 'muted'} />,
    },
    { header: 'Last used', cell: (k) => <Ago iso={k.lastUsedAt} /> },
    { header: 'Uses', numeric: true, cell: (k) => formatCount(k.useCount) },
    { header: 'Description', wrap: true, cell: (k) => k.description || <span className="muted">—</span> },
    {
      header: 'Actions',
      cell: (k) => (
        <div className="row-actions">
          {k.enabled ? (
            <button
              type="button"
              className="button small"
              aria-label={`Disable ${k.accessKey}`}
              onClick={() => askDisable(k)}
            >
              Disable
            </button>
          ) : (
            <button
              type="button"
              className="button small"
              aria-label={`Enable ${k.accessKey}`}
              onClick={() => enable(k)}
              disabled={toggle.busy}
            >
              Enable
            </button>
          )}
          <button
            type="button"
            className="button small"
            aria-label={`Rotate ${k.accessKey}`}
            onClick={() => askRotate(k)}
          >
            Rotate
          </button>
          <button
            type="button"
            className="button small danger"
            aria-label={`Delete ${k.accessKey}`}
            onClick={() => askDelete(k)}
          >
            Delete
          </button>
        </div>
      ),
    },
  ];

  return (
    <>
      <div className="page-head">
        <h1>Access keys</h1>
        <button type="button" className="button primary" onClick={() => setCreating(true)}>
          Create key
        </button>
      </div>
      <p className="muted intro">
        Keys sign calls to the OpenAPI at <code>/api/v1</code> with TEM-AUTH (AK/SK). A key sees what its
        owner sees; read-only keys cannot change anything.
      </p>
      <ActionStatus action={toggle} />
      <LoadError error={keys.error} onRetry={keys.reload} />
      <section className="card flush">
        <Table
          caption="Access keys"
          hideCaption
          columns={columns}
          rows={keys.data}
          rowKey={(k) => k.accessKey}
          empty="No keys yet: create one to call the OpenAPI from a script."
        />
      </section>
      {creating && (
        <CreateKeyDialog
          onClose={() => {
            setCreating(false);
            keys.reload();
          }}
        />
      )}
      {rotated !== null && (
        <Dialog title="Key rotated" wide>
          <IssuedKeyView issued={rotated} />
          <div className="actions">
            <button type="button" className="button primary" onClick={() => setRotated(null)}>
              Done
            </button>
          </div>
        </Dialog>
      )}
      {confirm !== null && <Confirm request={confirm} onClose={() => setConfirm(null)} />}
    </>
  );
}
