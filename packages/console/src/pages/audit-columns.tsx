import type { AuditEvent } from '../api/types';
import { Pill } from '../components/Pill';
import type { Column } from '../components/Table';
import { Time } from '../components/Time';

const TONES = { ok: 'good', denied: 'warn', failed: 'bad' } as const;

/** The audit log's columns, shared by the dashboard's recent events. */
export const auditColumns: readonly Column<AuditEvent>[] = [
  { header: 'Time', cell: (e) => <Time iso={e.at} /> },
  {
    header: 'Actor',
    cell: (e) => (
      <>
        {e.actor} <span className="muted">({e.actorKind})</span>
      </>
    ),
  },
  { header: 'Action', cell: (e) => <code>{e.action}</code> },
  { header: 'Target', cell: (e) => e.target ?? <span className="muted">—</span> },
  { header: 'Result', cell: (e) => <Pill text={e.result} tone={TONES[e.result]} /> },
  { header: 'Status', numeric: true, cell: (e) => e.status ?? '—' },
  { header: 'Source', cell: (e) => e.source ?? <span className="muted">—</span> },
  { header: 'Detail', wrap: true, cell: (e) => e.detail ?? <span className="muted">—</span> },
];
