/** A failed load: what went wrong, what to do, and a way to try again. */
export function LoadError({
  error,
  onRetry,
}: {
  readonly error: string | null;
  readonly onRetry: () => void;
}) {
  if (error === null) return null;
  return (
    <div role="alert" className="status error load-error">
      <span>{error}</span>
      <button type="button" className="button small" onClick={onRetry}>
        Try again
      </button>
    </div>
  );
}
