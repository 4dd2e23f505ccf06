/** A status word with its colour: "online", "enabled", "ok" are good; "offline", "failed" bad. */
export function Pill({
  text,
  tone,
}: {
  readonly text: string;
  readonly tone: 'good' | 'bad' | 'warn' | 'muted';
}) {
  return <span className={`pill ${tone}`}>{text}</span>;
}
