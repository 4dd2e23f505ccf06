/**
 * The JSON text Pacifica and Aster sign: what CPython's
 * `json.dumps(obj, sort_keys=True, separators=(",", ":"))` writes (ensure_ascii on) for a value
 * that came from `JSON.parse`. Keys are sorted by code point at every depth, strings are escaped
 * exactly as Python escapes them, integers are written as is and other numbers as Python's repr.
 *
 * JSON.parse has already lost two things Python would keep, so:
 * - `1.0` arrives as the number 1 and is written `1` (Python writes `1.0`). A client that needs
 *   `1.0` sends the value as a string, as both exchanges do for prices and sizes anyway.
 * - integers beyond 2^53 arrive rounded; they are refused rather than signed wrong.
 * Errors name the offending field by its path (`data.instruction.price`), never echo its value.
 * The small request-data checks every adapter shares live here too, as they judge the same values.
 */
import { compareCodePoints, MAX_DEPTH, pythonFloatRepr, pythonJsonString } from '@signet/auth/canonical-json';
import { InvalidDataFormatError } from '../errors.js';

export type JsonObject = Record<string, unknown>;

/** A plain JSON object (what JSON.parse makes for `{…}`), not an array, null or class instance. */
export function isJsonObject(value: unknown): value is JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** `value` as a JSON object, or InvalidDataFormatError naming `field`. */
export function expectObject(value: unknown, field: string): JsonObject {
  if (!isJsonObject(value)) throw invalid(field, 'expected a JSON object');
  return value;
}

/** InvalidDataFormatError for one field of the request data; the message starts with its path. */
export function invalid(field: string, problem: string): InvalidDataFormatError {
  return new InvalidDataFormatError(`${field}: ${problem}`, { field });
}

/** Python's sorted, compact `json.dumps` of a JSON.parse value; `field` names it in errors. */
export function compactSortedJson(value: unknown, field: string): string {
  return write(value, field, 0);
}

function write(value: unknown, field: string, depth: number): string {
  if (depth > MAX_DEPTH) throw invalid(field, 'nesting is too deep');
  switch (typeof value) {
    case 'string':
      return pythonJsonString(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      return number(value, field);
    case 'object':
      if (value === null) return 'null';
      if (Array.isArray(value)) {
        return `[${value.map((item, i) => write(item, `${field}[${i}]`, depth + 1)).join(',')}]`;
      }
      if (isJsonObject(value)) {
        const keys = Object.keys(value).sort(compareCodePoints);
        const members = keys.map(
          (key) => `${pythonJsonString(key)}:${write(value[key], `${field}.${key}`, depth + 1)}`,
        );
        return `{${members.join(',')}}`;
      }
  }
  throw invalid(field, 'expected a JSON value');
}

function number(value: number, field: string): string {
  if (!Number.isFinite(value)) throw invalid(field, 'expected a finite number');
  if (!Number.isInteger(value)) return pythonFloatRepr(value);
  if (!Number.isSafeInteger(value)) {
    throw invalid(field, 'integer beyond 2^53 cannot be signed exactly; send it as a string');
  }
  return String(value); // -0 → "0", as Python writes json.loads("-0")
}

/**
 * Checks that every number in a value survives as the client meant it: JSON.parse has already
 * rounded integers beyond 2^53, and exponent forms (1e21) are not what an exchange expects. Such
 * values must be sent as strings. Used where a platform writes numbers the JavaScript way.
 */
export function expectExactNumbers(value: unknown, field: string, depth = 0): void {
  if (typeof value === 'number') {
    if (
      !Number.isFinite(value) ||
      (Number.isInteger(value) && !Number.isSafeInteger(value)) ||
      /e/i.test(String(value))
    ) {
      throw invalid(field, 'number cannot be signed exactly; send it as a string');
    }
  } else if (typeof value === 'object' && value !== null && depth < 64) {
    for (const [key, child] of Object.entries(value)) expectExactNumbers(child, `${field}.${key}`, depth + 1);
  }
}
