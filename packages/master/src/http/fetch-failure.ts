/** Why a fetch failed, short and address-free: the timeout, or the system error code (ECONNREFUSED…). */
export function fetchFailureReason(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError') return 'timed out';
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
  return typeof cause?.code === 'string' ? cause.code : 'connection failed';
}
