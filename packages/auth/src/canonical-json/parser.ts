import { MalformedError } from '../errors.js';
import { compareCodePoints } from './code-point-order.js';
import { pythonFloatRepr } from './python-float.js';
import { pythonJsonString } from './python-string.js';

/** Deeper documents are refused; CPython's own recursion limit stops json.loads near depth 1000. */
export const MAX_DEPTH = 512;
/** CPython 3.11+ refuses to turn more digits than this into an int (sys.int_info.default_max_str_digits). */
const MAX_INT_DIGITS = 4300;

/**
 * A single-pass parser that writes each value directly in its canonical form, from the raw text,
 * so nothing passes through a JavaScript number or a re-ordered object. It accepts exactly what
 * CPython's json.loads accepts (including NaN and Infinity) and writes what
 * `json.dumps(value, sort_keys=True)` writes.
 */
export class CanonicalParser {
  private pos = 0;
  /** Raw text of the top-level object's members named in `capture`, last duplicate winning. */
  readonly captured = new Map<string, string>();
  // The last string scanned, decoded (for keys) and in canonical form.
  private decoded = '';
  private encoded = '';
  private plain = true;

  constructor(
    private readonly src: string,
    private readonly capture?: ReadonlySet<string>,
  ) {}

  document(): string {
    this.skipWhitespace();
    const out = this.value(0);
    this.skipWhitespace();
    if (this.pos !== this.src.length) this.fail('unexpected data after the JSON value');
    return out;
  }

  private value(depth: number): string {
    const c = this.src.charCodeAt(this.pos);
    switch (c) {
      case 0x7b /* { */:
        return this.object(depth + 1);
      case 0x5b /* [ */:
        return this.array(depth + 1);
      case 0x22 /* " */:
        this.string();
        return this.encoded;
      case 0x74 /* t */:
        return this.literal('true');
      case 0x66 /* f */:
        return this.literal('false');
      case 0x6e /* n */:
        return this.literal('null');
      case 0x4e /* N */:
        return this.literal('NaN');
      case 0x49 /* I */:
        return this.literal('Infinity');
      case 0x2d /* - */:
        return this.src.startsWith('-Infinity', this.pos) ? this.literal('-Infinity') : this.number();
      default:
        if (c >= 0x30 && c <= 0x39) return this.number();
        return this.fail(Number.isNaN(c) ? 'unexpected end of input' : 'expected a JSON value');
    }
  }

  private object(depth: number): string {
    if (depth > MAX_DEPTH) this.fail('nesting is too deep');
    this.pos++;
    this.skipWhitespace();
    if (this.src.charCodeAt(this.pos) === 0x7d /* } */) {
      this.pos++;
      return '{}';
    }
    const members = new Map<string, string>();
    let codePointOrder = false;
    for (;;) {
      if (this.src.charCodeAt(this.pos) !== 0x22) this.fail('expected a property name in double quotes');
      this.string();
      const key = this.decoded;
      const member = `${this.encoded}: `;
      if (!this.plain) codePointOrder = true;
      this.skipWhitespace();
      if (this.src.charCodeAt(this.pos) !== 0x3a /* : */) this.fail("expected ':' after a property name");
      this.pos++;
      this.skipWhitespace();
      const start = this.pos;
      const value = this.value(depth);
      if (depth === 1 && this.capture?.has(key)) this.captured.set(key, this.src.slice(start, this.pos));
      members.set(key, member + value);
      this.skipWhitespace();
      const c = this.src.charCodeAt(this.pos++);
      if (c === 0x2c /* , */) {
        this.skipWhitespace();
        continue;
      }
      if (c === 0x7d /* } */) break;
      this.fail("expected ',' or '}' in an object");
    }
    const keys = [...members.keys()];
    // Plain keys are printable ASCII, where code-unit order (the default) is code-point order.
    if (codePointOrder) keys.sort(compareCodePoints);
    else keys.sort();
    let out = '{';
    for (let i = 0; i < keys.length; i++) out += (i === 0 ? '' : ', ') + members.get(keys[i] as string);
    return `${out}}`;
  }

  private array(depth: number): string {
    if (depth > MAX_DEPTH) this.fail('nesting is too deep');
    this.pos++;
    this.skipWhitespace();
    if (this.src.charCodeAt(this.pos) === 0x5d /* ] */) {
      this.pos++;
      return '[]';
    }
    let out = '[';
    for (;;) {
      out += this.value(depth);
      this.skipWhitespace();
      const c = this.src.charCodeAt(this.pos++);
      if (c === 0x2c) {
        out += ', ';
        this.skipWhitespace();
        continue;
      }
      if (c === 0x5d) break;
      this.fail("expected ',' or ']' in an array");
    }
    return `${out}]`;
  }

  /** Scans a string token; sets `decoded`, `encoded` and whether it was plain printable ASCII. */
  private string(): void {
    const src = this.src;
    const start = this.pos;
    let p = start + 1;
    let c = src.charCodeAt(p);
    // Fast path: printable ASCII without escapes is already in canonical form.
    while (c >= 0x20 && c < 0x7f && c !== 0x22 && c !== 0x5c) c = src.charCodeAt(++p);
    if (c === 0x22) {
      this.pos = p + 1;
      this.decoded = src.slice(start + 1, p);
      this.encoded = src.slice(start, p + 1);
      this.plain = true;
      return;
    }
    // Find the closing quote, then let the native JSON string grammar (the same as CPython's
    // strict scanstring: no raw control characters, the same escapes, lone surrogates kept) decode it.
    while (p < src.length && c !== 0x22) {
      p += c === 0x5c ? 2 : 1;
      c = src.charCodeAt(p);
    }
    if (p >= src.length) this.fail('unterminated string');
    let decoded: unknown;
    try {
      decoded = JSON.parse(src.slice(start, p + 1));
    } catch {
      this.fail('invalid character or escape in a string');
    }
    this.pos = p + 1;
    this.decoded = decoded as string;
    this.encoded = pythonJsonString(this.decoded);
    this.plain = false;
  }

  private number(): string {
    const src = this.src;
    const start = this.pos;
    let p = start;
    if (src.charCodeAt(p) === 0x2d) p++;
    const intStart = p;
    let c = src.charCodeAt(p);
    if (c === 0x30) c = src.charCodeAt(++p);
    else if (c >= 0x31 && c <= 0x39) while (c >= 0x30 && c <= 0x39) c = src.charCodeAt(++p);
    else this.fail('invalid number');
    const intDigits = p - intStart;
    let isFloat = false;
    if (c === 0x2e /* . */ && isDigit(src.charCodeAt(p + 1))) {
      isFloat = true;
      p += 2;
      while (isDigit(src.charCodeAt(p))) p++;
      c = src.charCodeAt(p);
    }
    if (c === 0x65 || c === 0x45 /* e E */) {
      let q = p + 1;
      const sign = src.charCodeAt(q);
      if (sign === 0x2b || sign === 0x2d) q++;
      if (isDigit(src.charCodeAt(q))) {
        isFloat = true;
        p = q + 1;
        while (isDigit(src.charCodeAt(p))) p++;
      }
    }
    this.pos = p;
    const text = src.slice(start, p);
    if (isFloat) return pythonFloatRepr(Number(text));
    if (intDigits > MAX_INT_DIGITS) this.fail('integer has too many digits');
    return text === '-0' ? '0' : text;
  }

  private literal(word: string): string {
    if (!this.src.startsWith(word, this.pos)) this.fail('invalid literal');
    this.pos += word.length;
    return word;
  }

  private skipWhitespace(): void {
    const src = this.src;
    let p = this.pos;
    let c = src.charCodeAt(p);
    while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = src.charCodeAt(++p);
    this.pos = p;
  }

  private fail(reason: string): never {
    throw new MalformedError(`invalid JSON at offset ${this.pos}: ${reason}`);
  }
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}
