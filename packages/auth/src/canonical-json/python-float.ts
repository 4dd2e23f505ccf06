/**
 * CPython's `repr(float)`, which `json.dumps` uses: the shortest digits that round-trip (the same
 * digits V8 picks), laid out in fixed notation when 1e-4 <= |x| < 1e16 (always with a fraction:
 * `1.0`) and in scientific notation otherwise, with a signed, at least two-digit exponent (`1e-05`,
 * `1.5e+16`). Non-finite values are written as json.dumps writes them.
 */
export function pythonFloatRepr(x: number): string {
  if (x !== x) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';

  const abs = Math.abs(x);
  if (abs >= 1e-4 && abs < 1e16) {
    // V8 already writes this range in fixed notation with the shortest digits.
    const fixed = String(x);
    return fixed.includes('.') ? fixed : `${fixed}.0`;
  }

  const [mantissa = '', exponent = ''] = x.toExponential().split('e');
  const exp = Number(exponent);
  const sign = exp < 0 ? '-' : '+';
  const magnitude = Math.abs(exp);
  return `${mantissa}e${sign}${magnitude < 10 ? '0' : ''}${magnitude}`;
}
