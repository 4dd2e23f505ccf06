/** A status word with its colour: "online", "enabled", "ok" are good; "offline", "failed" bad. */
export function Pill({
  text,
  tone,
  title,
}: {
  readonly text: string;
  readonly tone: 'good' | 'bad' | 'warn' | 'muted';
  /** A longer explanation, on hover. */
  readonly title?: string;
}) {
  return (
    <span className={`pill ${tone}`} title={title}>
      {text}
    </span>
  );
}
