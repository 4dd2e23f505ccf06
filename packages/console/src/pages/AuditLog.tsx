import { type FormEvent, useState } from 'react';
import type { AuditPage } from '../api/types';
import { LoadError } from '../components/LoadError';
import { Table } from '../components/Table';
import { useResource } from '../lib/use-resource';
import { auditColumns } from './audit-columns';

const PAGE = 50;
const KINDS = ['admin', 'access-key', 'internal', 'service', 'operator', 'anonymous'] as const;
const RESULTS = ['ok', 'denied', 'failed'] as const;

interface Filters {
  readonly actor: string;
  readonly actorKind: string;
  readonly action: string;
  readonly result: string;
  readonly since: string;
  readonly until: string;
}

const NONE: Filters = { actor: '', actorKind: '', action: '', result: '', since: '', until: '' };

/** A datetime-local value (the reader's time zone) as ISO 8601, or undefined. */
const isoOf = (local: string) => (local === '' ? undefined : new Date(local).toISOString());

export function AuditLog() {
  const [draft, setDraft] = useState<Filters>(NONE);
  const [applied, setApplied] = useState<Filters>(NONE);
  /** The `before` of each page seen, newest page first: Newer pops, Older pushes. */
  const [pages, setPages] = useState<readonly (number | undefined)[]>([undefined]);
  const before = pages[pages.length - 1];
  const audit = useResource<AuditPage>('/audit', {
    query: {
      actor: applied.actor.trim() || undefined,
      actorKind: applied.actorKind || undefined,
      action: applied.action.trim() || undefined,
      result: applied.result || undefined,
      since: isoOf(applied.since),
      until: isoOf(applied.until),
      before,
      limit: PAGE,
    },
  });
  const set = (field: keyof Filters) => (event: { target: { value: string } }) =>
    setDraft((d) => ({ ...d, [field]: event.target.value }));

  const apply = (event: FormEvent) => {
    event.preventDefault();
    setApplied(draft);
    setPages([undefined]);
    audit.reload();
  };
  const next = audit.data?.nextBefore ?? null;

  return (
    <>
      <h1>Audit log</h1>
      <form className="card filters" aria-label="Filters" onSubmit={apply}>
        <label className="field">
          <span>Actor</span>
          <input value={draft.actor} onChange={set('actor')} maxLength={200} placeholder="any" />
        </label>
        <label className="field">
          <span>Actor kind</span>
          <select value={draft.actorKind} onChange={set('actorKind')}>
            <option value="">any</option>
            {KINDS.map((k) => (
              <option key={k}>{k}</option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Action</span>
          <input
            value={draft.action}
            onChange={set('action')}
            maxLength={200}
            placeholder="e.g. keys.create"
          />
        </label>
        <label className="field">
          <span>Result</span>
          <select value={draft.result} onChange={set('result')}>
            <option value="">any</option>
            {RESULTS.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Since</span>
          <input type="datetime-local" value={draft.since} onChange={set('since')} />
        </label>
        <label className="field">
          <span>Until</span>
          <input type="datetime-local" value={draft.until} onChange={set('until')} />
        </label>
        <div className="filter-actions">
          <button type="submit" className="button primary">
            Apply
          </button>
        </div>
      </form>
      <LoadError error={audit.error} onRetry={audit.reload} />
      <section className="card flush">
        <Table
          caption="Audit events"
          hideCaption
          columns={auditColumns}
          rows={audit.data?.events}
          rowKey={(e) => e.id}
          empty="No events match: widen the filters."
        />
      </section>
      <nav className="pager" aria-label="Pages">
        <button
          type="button"
          className="button"
          disabled={pages.length === 1}
          onClick={() => setPages((p) => p.slice(0, -1))}
        >
          Newer
        </button>
        <span className="muted small" aria-live="polite">
          {audit.loading ? 'Loading…' : `Page ${pages.length}`}
        </span>
        <button
          type="button"
          className="button"
          disabled={next === null}
          onClick={() => setPages((p) => [...p, next ?? undefined])}
        >
          Older
        </button>
      </nav>
    </>
  );
}
