import { useEffect, useId, useRef } from 'react';
import { LoadError } from '../components/LoadError';
import { useResource } from '../lib/use-resource';

/** The tail of the node's core log, read again every 2 s while the page is shown. */
export function NodeLog({ nodeId }: { readonly nodeId: number }) {
  const titleId = useId();
  const log = useResource<{ logs: string }>(`/nodes/${nodeId}/logs`, { query: { lines: 200 }, every: 2000 });
  const pre = useRef<HTMLPreElement>(null);
  const text = log.data?.logs;

  // Follow the tail unless the reader scrolled up.
  useEffect(() => {
    const el = pre.current;
    if (el !== null && el.scrollHeight - el.scrollTop - el.clientHeight < 48) el.scrollTop = el.scrollHeight;
  }, [text]);

  return (
    <section className="card" aria-labelledby={titleId}>
      <div className="section-head">
        <h2 id={titleId}>Log</h2>
        <span className="muted small">{log.loading ? 'Refreshing…' : 'Refreshed every 2 seconds'}</span>
      </div>
      <LoadError error={log.error} onRetry={log.reload} />
      <pre ref={pre} className="code log" role="log" aria-label="Core log" tabIndex={0}>
        {text === undefined ? '' : text === '' ? '(the log is empty)' : text}
      </pre>
    </section>
  );
}
