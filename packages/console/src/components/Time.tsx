import { formatAgo, formatTime } from '../lib/format';

/** "2 minutes ago", with the exact time on hover and for machines. */
export function Ago({ iso }: { readonly iso: string | null }) {
  if (iso === null) return <span className="muted">never</span>;
  return (
    <time dateTime={iso} title={formatTime(iso)}>
      {formatAgo(iso)}
    </time>
  );
}

/** The local date and time. */
export function Time({ iso }: { readonly iso: string | null }) {
  if (iso === null) return <span className="muted">never</span>;
  return <time dateTime={iso}>{formatTime(iso)}</time>;
}
