import { type ReactNode, useId } from 'react';
import { api, isMissingRoute } from '../api/client';
import type { SignerAccount, SignerReload, SignerStatus, SignerView } from '../api/types';
import { ActionStatus } from '../components/ActionStatus';
import { LoadError } from '../components/LoadError';
import { Pill } from '../components/Pill';
import { type Column, Table } from '../components/Table';
import { Ago, Time } from '../components/Time';
import { formatCount } from '../lib/format';
import { useAction } from '../lib/use-action';
import { useResource } from '../lib/use-resource';

const accountColumns: readonly Column<SignerAccount>[] = [
  { header: 'Platform', cell: (a) => a.platformId },
  { header: 'Account', cell: (a) => <code>{a.accountId}</code> },
  { header: 'Alias', cell: (a) => a.alias ?? <span className="muted">—</span> },
  {
    header: 'Status',
    cell: (a) => (
      <Pill text={a.status} tone={a.status === 'active' ? 'good' : a.status === 'error' ? 'bad' : 'muted'} />
    ),
  },
  { header: 'Signs', numeric: true, cell: (a) => formatCount(a.usage?.totalSigns ?? 0) },
  { header: 'Last sign', cell: (a) => <Ago iso={a.usage?.lastSignAt ?? null} /> },
  { header: 'Errors', numeric: true, cell: (a) => formatCount(a.usage?.errorCount ?? 0) },
];

const reloadText = (r: SignerReload) =>
  `Credentials reloaded at ${new Date(r.reloadedAt).toLocaleTimeString()}: ${r.changes.added} added, ` +
  `${r.changes.updated} updated, ${r.changes.removed} removed; ${r.accountCount} accounts on ` +
  `${r.platformCount} platforms.${r.warnings.length === 0 ? '' : ` Warnings: ${r.warnings.join('; ')}`}`;

/** What to do, by what the master said went wrong ("the signer at HOST answered 401: …"). */
const ADVICE: readonly [RegExp, string][] = [
  [/ answered 401\b/, 'Check that the master and the signer share API_SECRET_KEY and their clocks agree.'],
  [/ answered \d{3}\b/, "Check the signer's log, then try again."],
  [/ answered /, 'Check that the master and the signer run the same version of signet.'],
];
const UNREACHABLE = 'Check that signet signer is running and reachable from the master, then try again.';

/** The master's own words about the signer, as a sentence, and what to do. */
function unreachableText({ url, error }: SignerView): string {
  if (error === null) return `The signer at ${url} did not answer. ${UNREACHABLE}`;
  const sentence = `${error.charAt(0).toUpperCase()}${error.slice(1)}${/[.!?]$/.test(error) ? '' : '.'}`;
  return `${sentence} ${ADVICE.find(([when]) => when.test(error))?.[1] ?? UNREACHABLE}`;
}

function NotConfigured() {
  return (
    <section className="card">
      <h2>No signer is configured</h2>
      <p>
        This master was started without a signing service. To see its accounts and status here, start the
        master with the signer's URL:
      </p>
      <pre className="code">signet master --signer-url http://127.0.0.1:8081</pre>
      <p className="muted">
        When <code>API_SECRET_KEY</code> is set, the master signs its calls to the signer with it (seed 002).
      </p>
    </section>
  );
}

function StatusSummary({ url, status }: { readonly url: string | null; readonly status: SignerStatus }) {
  const titleId = useId();
  const facts: [string, ReactNode][] = [
    [
      'Service',
      <Pill
        text={status.status}
        tone={status.status === 'healthy' || status.status === 'ok' ? 'good' : 'warn'}
      />,
    ],
    ['URL', <code>{url}</code>],
    ['Uptime', status.uptime],
    [
      'Accounts',
      `${status.accounts.total} (${
        Object.entries(status.accounts.byPlatform)
          .map(([p, n]) => `${p}: ${n}`)
          .join(', ') || 'none'
      })`,
    ],
    ['Signs', formatCount(status.performance.totalSigns)],
    ['Signing time', `${status.performance.avgSigningTime} average, ${status.performance.p99} p99`],
    ['Error rate', `${(status.performance.errorRate * 100).toFixed(2)} %`],
    ['Credentials file', <code>{status.config.path}</code>],
    ['Loaded', <Time iso={status.config.lastLoaded} />],
    ['Watching the file', status.config.isWatching ? 'yes' : 'no'],
    ...(status.config.lastError === null
      ? []
      : [['Last error', status.config.lastError] as [string, string]]),
  ];
  return (
    <section className="card" aria-labelledby={titleId}>
      <h2 id={titleId}>Status</h2>
      <dl className="facts">
        {facts.map(([term, value]) => (
          <div key={term}>
            <dt>{term}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

export function Signer() {
  const signer = useResource<SignerView>('/signer', { every: 15_000 });
  const reload = useAction();
  const s = signer.data;
  const missing = isMissingRoute(signer.failure);

  const reloadCredentials = () =>
    void reload
      .run('Reloading credentials…', () => api.post<SignerReload>('/signer/reload'), reloadText)
      .then(signer.reload);

  const accounts = [...(s?.accounts ?? [])].sort(
    (a, b) => a.platformId.localeCompare(b.platformId) || a.accountId.localeCompare(b.accountId),
  );

  return (
    <>
      <div className="page-head">
        <h1>Signer</h1>
        {s?.configured === true && (
          <button type="button" className="button primary" onClick={reloadCredentials} disabled={reload.busy}>
            Reload credentials
          </button>
        )}
      </div>
      <ActionStatus action={reload} />
      {missing ? (
        <p role="alert" className="status error">
          This master has no signer routes yet: update signet, then reload the page.
        </p>
      ) : (
        <LoadError error={signer.error} onRetry={signer.reload} />
      )}
      {s === undefined ? (
        !missing && signer.error === null && <p role="status">Loading…</p>
      ) : !s.configured ? (
        <NotConfigured />
      ) : (
        <>
          {!s.reachable && (
            <p role="alert" className="status error">
              {unreachableText(s)}
            </p>
          )}
          {s.status !== null && <StatusSummary url={s.url} status={s.status} />}
          <section className="card flush" aria-label="Accounts">
            <Table
              caption="Signer accounts"
              columns={accountColumns}
              rows={s.accounts === null ? [] : accounts}
              rowKey={(a) => `${a.platformId}/${a.accountId}`}
              empty={
                s.reachable
                  ? 'The signer holds no accounts yet: add them to its credentials file, then reload.'
                  : 'Not known while the signer does not answer.'
              }
            />
          </section>
        </>
      )}
    </>
  );
}
