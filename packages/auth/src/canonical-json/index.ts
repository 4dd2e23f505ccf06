import { MalformedError } from '../errors.js';
import { CanonicalParser } from './parser.js';

export { pythonFloatRepr } from './python-float.js';
export { pythonJsonString } from './python-string.js';
export { compareCodePoints } from './code-point-order.js';
export { MAX_DEPTH } from './parser.js';

/**
 * Exactly what CPython writes for `json.dumps(json.loads(raw), sort_keys=True)`, computed from the
 * raw body text, so the bytes a Python client signed are the bytes verified. Throws MalformedError
 * for anything json.loads refuses, for bytes that are not UTF-8, and for nesting deeper than MAX_DEPTH.
 */
export function canonicalize(raw: string | Uint8Array): string {
  return new CanonicalParser(bodyText(raw)).document();
}

export interface CanonicalDocument {
  /** The canonical text. */
  readonly text: string;
  /** The raw JSON text of the requested top-level members that are present. */
  readonly members: ReadonlyMap<string, string>;
}

/** `canonicalize`, also returning the raw text of some top-level members (a timestamp, say). */
export function canonicalizeDocument(
  raw: string | Uint8Array,
  members: ReadonlySet<string>,
): CanonicalDocument {
  const parser = new CanonicalParser(bodyText(raw), members);
  const text = parser.document();
  return { text, members: parser.captured };
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Bytes are decoded as json.loads(bytes) does for UTF-8: strictly, a leading BOM dropped. */
function bodyText(raw: string | Uint8Array): string {
  if (typeof raw === 'string') return raw;
  if (!(raw instanceof Uint8Array)) throw new MalformedError('body: expected a string or Uint8Array');
  try {
    return utf8.decode(raw);
  } catch (cause) {
    throw new MalformedError('body is not valid UTF-8', { cause });
  }
}
