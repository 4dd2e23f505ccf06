/**
 * Orders strings by Unicode code point, as Python sorts `str`. JavaScript's default order compares
 * UTF-16 code units, which differs only where a surrogate (U+D800–U+DFFF, half of an astral
 * character) meets a unit at or above U+E000: the astral character must sort after it.
 */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return rank(x) - rank(y);
  }
  return a.length - b.length;
}

function rank(unit: number): number {
  if (unit < 0xd800) return unit;
  return unit < 0xe000 ? unit + 0x2000 : unit - 0x800;
}
