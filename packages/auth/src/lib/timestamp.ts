import { TimestampExpiredError, TimestampInvalidError } from '../errors.js';

export type TimestampUnit = 'seconds' | 'milliseconds';

export interface FreshnessOptions {
  /** Largest allowed distance between the timestamp and now, in either direction. Default 300. */
  readonly maxAgeSeconds?: number;
  /** The clock, in milliseconds since the epoch. Default `Date.now`. */
  readonly now?: () => number;
}

export const DEFAULT_MAX_AGE_SECONDS = 300;

// Unsigned decimal, no leading zeros; at most 12 digits for seconds and 15 for milliseconds
// (year 33658 either way), which keeps every value an exact safe integer.
const FORMATS: Record<TimestampUnit, RegExp> = {
  seconds: /^[1-9][0-9]{0,11}$/,
  milliseconds: /^[1-9][0-9]{0,14}$/,
};

/**
 * Parses a timestamp in the scheme's strict format and checks it lies within the window on both
 * sides of now. Returns it in milliseconds.
 */
export function checkTimestamp(text: unknown, unit: TimestampUnit, options: FreshnessOptions = {}): number {
  if (typeof text !== 'string' || !FORMATS[unit].test(text)) {
    throw new TimestampInvalidError(`timestamp must be unsigned decimal ${unit} without leading zeros`);
  }
  const value = Number(text);
  const maxAge = maxAgeSecondsOf(options);
  const now = (options.now ?? Date.now)();
  // Seconds are compared in whole seconds, as the seeds do: abs(int(time.time()) - ts) <= max_age.
  const distance =
    unit === 'seconds' ? Math.abs(Math.floor(now / 1000) - value) : Math.abs(now - value) / 1000;
  if (distance > maxAge)
    throw new TimestampExpiredError(`timestamp is outside the allowed window of ${maxAge} s`);
  return unit === 'seconds' ? value * 1000 : value;
}

export function maxAgeSecondsOf(options: FreshnessOptions): number {
  const value = options.maxAgeSeconds ?? DEFAULT_MAX_AGE_SECONDS;
  if (!Number.isFinite(value) || value <= 0) throw new RangeError('maxAgeSeconds: must be a positive number');
  return value;
}

/** The current time in the scheme's unit, as the decimal text a client sends. */
export function currentTimestamp(unit: TimestampUnit, now: () => number = Date.now): string {
  const ms = Math.floor(now());
  return String(unit === 'seconds' ? Math.floor(ms / 1000) : ms);
}
