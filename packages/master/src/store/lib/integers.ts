/** The largest value a BIGINT (PostgreSQL) or INTEGER (SQLite) column holds. */
export const INT64_MAX = 2n ** 63n - 1n;

/** A value read from an integer column: pg gives strings for BIGINT, better-sqlite3 bigints. */
export function readBigInt(value: bigint | string | number): bigint {
  return typeof value === 'bigint' ? value : BigInt(value);
}

/** An id, flag or time read from an integer column, as a number (all of these are below 2^53). */
export function readNumber(value: bigint | string | number): number {
  return typeof value === 'number' ? value : Number(value);
}

export function readOptionalDate(value: bigint | string | number | null): Date | null {
  return value === null ? null : new Date(readNumber(value));
}

const DECIMAL = /^(0|[1-9][0-9]{0,18})$/;

/**
 * A non-negative 64-bit counter from untrusted input: a bigint, a safe-integer number or a decimal
 * string. Returns undefined for anything else (an unsafe number has already lost precision).
 */
export function parseCounter(value: unknown): bigint | undefined {
  let n: bigint;
  if (typeof value === 'bigint') n = value;
  else if (typeof value === 'number' && Number.isSafeInteger(value)) n = BigInt(value);
  else if (typeof value === 'string' && DECIMAL.test(value)) n = BigInt(value);
  else return undefined;
  return n >= 0n && n <= INT64_MAX ? n : undefined;
}
