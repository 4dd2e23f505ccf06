const MAX_DEPTH = 16;

/**
 * JSON text of a JSON-like value (objects, arrays, strings, finite numbers, booleans, null, and
 * bigints written as their digits, as a lossless parser would have read them), or undefined when the
 * value holds anything else, nests deeper than 16 or its text passes `maxLength`.
 */
export function jsonText(value: unknown, maxLength: number): string | undefined {
  const parts: string[] = [];
  let length = 0;
  const push = (part: string): boolean => {
    length += part.length;
    parts.push(part);
    return length <= maxLength;
  };
  const write = (v: unknown, depth: number): boolean => {
    if (v === null || typeof v === 'boolean' || typeof v === 'string') return push(JSON.stringify(v));
    if (typeof v === 'number') return Number.isFinite(v) && push(JSON.stringify(v));
    if (typeof v === 'bigint') return push(v.toString());
    if (depth >= MAX_DEPTH || typeof v !== 'object') return false;
    if (Array.isArray(v)) {
      if (!push('[')) return false;
      for (let i = 0; i < v.length; i++) if ((i > 0 && !push(',')) || !write(v[i], depth + 1)) return false;
      return push(']');
    }
    if (Object.getPrototypeOf(v) !== Object.prototype && Object.getPrototypeOf(v) !== null) return false;
    if (!push('{')) return false;
    let first = true;
    for (const [key, item] of Object.entries(v)) {
      if (!first && !push(',')) return false;
      first = false;
      if (!push(`${JSON.stringify(key)}:`) || !write(item, depth + 1)) return false;
    }
    return push('}');
  };
  return write(value, 0) ? parts.join('') : undefined;
}
