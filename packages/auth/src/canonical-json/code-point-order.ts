/**
 * Orders strings by Unicode code point, as Python sorts `str`. JavaScript's default order compares
 * UTF-16 code units, which puts astral characters (surrogate pairs) before U+E000–U+FFFF. Python
 * holds a pair as one code point above U+FFFF and a lone surrogate as its own code point, which
 * `codePointAt` reproduces.
 */
export function compareCodePoints(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length) {
    const x = a.codePointAt(i) as number;
    const y = b.codePointAt(i) as number;
    if (x !== y) return x - y;
    i += x > 0xffff ? 2 : 1;
  }
  return a.length - b.length;
}
