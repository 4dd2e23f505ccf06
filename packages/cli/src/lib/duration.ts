import { UsageError } from './usage-error.js';

const UNITS: Readonly<Record<string, number>> = { '': 1, s: 1, m: 60, h: 3600, d: 86_400 };

/** A flag's `600`, `90s`, `10m`, `2h` or `1d` as whole seconds within `min..max`. */
export function parseDuration(text: string, flag: string, range: { min: number; max: number }): number {
  const match = /^([1-9][0-9]{0,6})([smhd]?)$/.exec(text.trim());
  const seconds = match ? Number(match[1]) * (UNITS[match[2] ?? ''] ?? 1) : NaN;
  if (!(seconds >= range.min && seconds <= range.max))
    throw new UsageError(
      `${flag}: expected seconds (or a number with s, m, h or d) from ${range.min} s to ${range.max} s, got ${text}`,
    );
  return seconds;
}
