import { useState } from 'react';
import { api } from '../api/client';
import type { ProxyUser } from '../api/types';
import { Confirm, type ConfirmRequest } from '../components/Confirm';
import { LoadError } from '../components/LoadError';
import { Pill } from '../components/Pill';
import { type Column, Table } from '../components/Table';
import { Ago } from '../components/Time';
import { formatBytes } from '../lib/format';
import { useAction } from '../lib/use-action';
import { useResource } from '../lib/use-resource';
import { ActionStatus } from '../components/ActionStatus';
import { AddUserDialog } from './AddUserDialog';
import { ShareDialog } from './ShareDialog';
import { UserTrafficDialog } from './UserTrafficDialog';

type Open = { kind: 'add' } | { kind: 'share' | 'traffic'; email: string } | null;

export function Users() {
  const users = useResource<ProxyUser[]>('/users', { every: 10_000 });
  const [open, setOpen] = useState<Open>(null);
  const [confirm, setConfirm] = useState<ConfirmRequest | null>(null);
  const toggle = useAction(); // enabling, and what just happened

  const path = (u: ProxyUser) => `/users/${encodeURIComponent(u.email)}`;
  const enable = (u: ProxyUser) =>
    void toggle
      .run(
        `Enabling ${u.email}…`,
        () => api.put<ProxyUser>(path(u), { enabled: true }),
        () => `${u.email} enabled: their links work again.`,
      )
      .then(users.reload);
  const askDisable = (u: ProxyUser) =>
    setConfirm({
      title: 'Disable user?',
      question: `Disable ${u.email}? Their links stop working on every node (no core restart); you can enable them again.`,
      verb: 'Disable',
      progress: 'Disabling…',
      run: async () => {
        await api.put(path(u), { enabled: false });
        users.reload();
      },
    });
  const askDelete = (u: ProxyUser) =>
    setConfirm({
      title: 'Delete user?',
      question: `Delete ${u.email}? They are removed from every node; their traffic totals are kept.`,
      verb: 'Delete',
      progress: 'Deleting…',
      run: async () => {
        await api.delete(path(u));
        users.reload();
      },
    });

  const columns: readonly Column<ProxyUser>[] = [
    { header: 'Email', cell: (u) => <span className="strong">{u.email}</span> },
    {
      header: 'Status',
      cell: (u) => <Pill text={u.enabled ? 'enabled' : 'disabled'} tone={u.enabled ? 'good' : 'muted'} />,
    },
    { header: 'Upload', numeric: true, cell: (u) => formatBytes(u.traffic.up) },
    { header: 'Download', numeric: true, cell: (u) => formatBytes(u.traffic.down) },
    { header: 'Created', cell: (u) => <Ago iso={u.createdAt} /> },
    {
      header: 'Actions',
      cell: (u) => (
        <div className="row-actions">
          <button
            type="button"
            className="button small"
            aria-label={`Share ${u.email}`}
            onClick={() => setOpen({ kind: 'share', email: u.email })}
          >
            Share
          </button>
          <button
            type="button"
            className="button small"
            aria-label={`Traffic of ${u.email}`}
            onClick={() => setOpen({ kind: 'traffic', email: u.email })}
          >
            Traffic
          </button>
          {u.enabled ? (
            <button
              type="button"
              className="button small"
              aria-label={`Disable ${u.email}`}
              onClick={() => askDisable(u)}
            >
              Disable
            </button>
          ) : (
            <button
              type="button"
              className="button small"
              aria-label={`Enable ${u.email}`}
              onClick={() => enable(u)}
              disabled={toggle.busy}
            >
              Enable
            </button>
          )}
          <button
            type="button"
            className="button small danger"
            aria-label={`Delete ${u.email}`}
            onClick={() => askDelete(u)}
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
        <h1>Users</h1>
        <button type="button" className="button primary" onClick={() => setOpen({ kind: 'add' })}>
          Add user
        </button>
      </div>
      <p className="muted intro">
        Proxy users are VLESS clients on every node; share their links to connect.
      </p>
      <ActionStatus action={toggle} />
      <LoadError error={users.error} onRetry={users.reload} />
      <section className="card flush">
        <Table
          caption="Users"
          hideCaption
          columns={columns}
          rows={users.data}
          rowKey={(u) => u.email}
          empty="No users yet: add one, then share their links."
        />
      </section>
      {open?.kind === 'add' && (
        <AddUserDialog
          onClose={() => setOpen(null)}
          onCreated={(user) => {
            setOpen(null);
            toggle.say(`${user.email} created: share their links from the table.`);
            users.reload();
          }}
        />
      )}
      {open?.kind === 'share' && <ShareDialog email={open.email} onClose={() => setOpen(null)} />}
      {open?.kind === 'traffic' && <UserTrafficDialog email={open.email} onClose={() => setOpen(null)} />}
      {confirm !== null && <Confirm request={confirm} onClose={() => setConfirm(null)} />}
    </>
  );
}
