import { MalformedError } from '../errors.js';

/** Request headers as Node gives them (lower-case names) or a fetch `Headers`. */
export type HeaderSource = Headers | Readonly<Record<string, string | readonly string[] | undefined>>;

/** The single value of a header, or undefined when absent. A repeated header is malformed. */
export function headerValue(headers: HeaderSource, name: string): string | undefined {
  const lower = name.toLowerCase();
  if (headers instanceof Headers) return headers.get(lower) ?? undefined;
  const value = headers[lower];
  if (value === undefined || typeof value === 'string') return value;
  if (value.length === 1) return value[0];
  throw new MalformedError(`header ${name} must be sent once`);
}
