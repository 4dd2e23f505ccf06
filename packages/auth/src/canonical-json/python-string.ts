/**
 * A string as CPython's `json.dumps` writes it with the default `ensure_ascii=True`: printable
 * ASCII (space to `~`) as is, `"` and `\` escaped, the five short escapes, and every other UTF-16
 * code unit (control characters, DEL, non-ASCII, each half of a surrogate pair) as `\uXXXX` in
 * lowercase hex.
 */
export function pythonJsonString(value: string): string {
  return `"${value.replace(NEEDS_ESCAPE, escapeChar)}"`;
}

const NEEDS_ESCAPE = /[^\x20\x21\x23-\x5b\x5d-\x7e]/g;

const SHORT_ESCAPES: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

function escapeChar(char: string): string {
  return SHORT_ESCAPES[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}
