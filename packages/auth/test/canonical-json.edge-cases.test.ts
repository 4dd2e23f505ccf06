/**
 * Curated edge cases for canonicalize(raw) = CPython's json.dumps(json.loads(raw), sort_keys=True).
 *
 * Every expected output below was produced by CPython 3.11.7 (json.loads on the UTF-8 bytes, then
 * json.dumps(..., sort_keys=True)), not written by hand. The describe block "the table is CPython"
 * re-asks the local python3 for all of them, so the table cannot drift from real Python.
 */
import { createHmac } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { canonicalize } from '@signet/auth/canonical-json';
import { MalformedError } from '../src/errors.js';
import {
  pythonCanonical,
  pythonVersion,
  runPythonCode,
  skipPythonTests,
  type PythonCanonical,
} from './support/python.js';

const MALFORMED = Symbol('MALFORMED');
type Expected = string | typeof MALFORMED;
type Row = readonly [name: string, body: string | Uint8Array, expected: Expected];

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
/** A body from text pieces (UTF-8) and raw byte values, for bytes no JS string can spell. */
const bytes = (...parts: (string | number[])[]): Uint8Array =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...utf8(p)] : p)));
const asBytes = (body: string | Uint8Array): Uint8Array => (typeof body === 'string' ? utf8(body) : body);
const label = (body: string | Uint8Array): string =>
  typeof body === 'string'
    ? JSON.stringify(body).slice(0, 80)
    : `bytes ${Buffer.from(body).toString('hex').slice(0, 80)}`;

/** canonicalize's output, or MALFORMED; any other throw (RangeError, TypeError...) fails the test. */
function run(body: string | Uint8Array): Expected {
  try {
    return canonicalize(body);
  } catch (e) {
    if (e instanceof MalformedError && e.code === 'MALFORMED') return MALFORMED;
    throw new Error(`canonicalize(${label(body)}) threw something other than MalformedError: ${String(e)}`, {
      cause: e,
    });
  }
}
const fromPython = (v: PythonCanonical): Expected => (v.ok ? v.output : MALFORMED);

// ---- Table: [name, raw body (text, sent as UTF-8), CPython 3.11.7's output] ------------------------

// prettier-ignore
const TABLE: readonly Row[] = [
  // float
  ['exponent from 1e16', '1e16', '1e+16'],
  ['positional below 1e16', '1e15', '1000000000000000.0'],
  ['largest positional near 1e16', '9999999999999998.0', '9999999999999998.0'],
  ['1.0e16', '1.0e16', '1e+16'],
  ['float with 17 int digits', '12345678901234567.0', '1.2345678901234568e+16'],
  ['positional down to 1e-4', '0.0001', '0.0001'],
  ['exponent below 1e-4', '0.00001', '1e-05'],
  ['0.00012345', '0.00012345', '0.00012345'],
  ['0.000012345', '0.000012345', '1.2345e-05'],
  ['1.5e300', '1.5e300', '1.5e+300'],
  ['two-digit negative exponent', '2.5e-8', '2.5e-08'],
  ['smallest subnormal', '5e-324', '5e-324'],
  ['rounds up to 5e-324', '3e-324', '5e-324'],
  ['rounds down to 0.0', '2e-324', '0.0'],
  ['largest double', '1.7976931348623157e308', '1.7976931348623157e+308'],
  ['just past the largest double overflows', '1.7976931348623159e308', 'Infinity'],
  ['smallest normal', '2.2250738585072014e-308', '2.2250738585072014e-308'],
  ['-0.0', '-0.0', '-0.0'],
  ['0.0', '0.0', '0.0'],
  ['integer minus zero is 0', '-0', '0'],
  ['0', '0', '0'],
  ['-0e0', '-0e0', '-0.0'],
  ['0e-5', '0e-5', '0.0'],
  ['-0.0E+0', '-0.0E+0', '-0.0'],
  ['overflow', '1e400', 'Infinity'],
  ['-1e400', '-1e400', '-Infinity'],
  ['underflow', '1e-400', '0.0'],
  ['-1e-400', '-1e-400', '-0.0'],
  ['1E+2', '1E+2', '100.0'],
  ['1e+02', '1e+02', '100.0'],
  ['exponent with leading zeros', '1e0007', '10000000.0'],
  ['1.0', '1.0', '1.0'],
  ['1.50', '1.50', '1.5'],
  ['100.0', '100.0', '100.0'],
  ['1e2', '1e2', '100.0'],
  ['1e21', '1e21', '1e+21'],
  ['1e22', '1e22', '1e+22'],
  ['1e-7', '1e-7', '1e-07'],
  ['1e-6', '1e-6', '1e-06'],
  ['123456789012345678.5', '123456789012345678.5', '1.2345678901234568e+17'],
  ['0.1', '0.1', '0.1'],
  ['0.30000000000000004', '0.30000000000000004', '0.30000000000000004'],
  ['float rounds to 2^53', '9007199254740993.0', '9007199254740992.0'],
  ['123.456e-2', '123.456e-2', '1.23456'],
  ['huge exponent', '1e99999999999999999999', 'Infinity'],
  ['0e99999999999999999999', '0e99999999999999999999', '0.0'],
  ['1e-99999999999999999999', '1e-99999999999999999999', '0.0'],
  ['-1.5', '-1.5', '-1.5'],
  ['[1.0, -2.5e-3, 3E3]', '[1.0, -2.5e-3, 3E3]', '[1.0, -0.0025, 3000.0]'],
  // integer
  ['beyond 2^53 stays exact', '9007199254740993', '9007199254740993'],
  ['-9007199254740993', '-9007199254740993', '-9007199254740993'],
  ['18446744073709551616', '18446744073709551616', '18446744073709551616'],
  ['60 digits', '123456789012345678901234567890123456789012345678901234567890', '123456789012345678901234567890123456789012345678901234567890'],
  ['-123456789012345678901234567890', '-123456789012345678901234567890', '-123456789012345678901234567890'],
  ['[-0, 0, 1]', '[-0, 0, 1]', '[0, 0, 1]'],
  // literal
  ['NaN', 'NaN', 'NaN'],
  ['Infinity', 'Infinity', 'Infinity'],
  ['-Infinity', '-Infinity', '-Infinity'],
  ['[NaN,Infinity,-Infinity]', '[NaN,Infinity,-Infinity]', '[NaN, Infinity, -Infinity]'],
  ['{"a":NaN}', '{"a":NaN}', '{"a": NaN}'],
  ['true', 'true', 'true'],
  ['false', 'false', 'false'],
  ['null', 'null', 'null'],
  ['[true,false,null]', '[true,false,null]', '[true, false, null]'],
  ['-NaN', '-NaN', MALFORMED],
  ['+Infinity', '+Infinity', MALFORMED],
  ['nan', 'nan', MALFORMED],
  ['infinity', 'infinity', MALFORMED],
  ['-infinity', '-infinity', MALFORMED],
  ['Inf', 'Inf', MALFORMED],
  ['NaNx', 'NaNx', MALFORMED],
  ['tru', 'tru', MALFORMED],
  ['nul', 'nul', MALFORMED],
  ['True', 'True', MALFORMED],
  ['NULL', 'NULL', MALFORMED],
  ['Infinityx', 'Infinityx', MALFORMED],
  ['- Infinity', '- Infinity', MALFORMED],
  // structure
  ['{}', '{}', '{}'],
  ['[]', '[]', '[]'],
  ['{ }', '{ }', '{}'],
  ['[ ]', '[ ]', '[]'],
  ['all four whitespace chars', ' \t\n\r{}\r\n\t ', '{}'],
  ['{"a":[]}', '{"a":[]}', '{"a": []}'],
  ['[{}]', '[{}]', '[{}]'],
  ['top-level string', '"x"', '"x"'],
  ['top-level number with whitespace', '  1  ', '1'],
  ['[1 , 2]', '[1 , 2]', '[1, 2]'],
  ['sorted at every depth', '{"b":1,"a":[{"d":1,"c":2}]}', '{"a": [{"c": 2, "d": 1}], "b": 1}'],
  ['{"a":{"b":{"d":1,"c":2}},"A":0}', '{"a":{"b":{"d":1,"c":2}},"A":0}', '{"A": 0, "a": {"b": {"c": 2, "d": 1}}}'],
  // duplicate keys
  ['last wins', '{"a":1,"a":2}', '{"a": 2}'],
  ['nested, whole value replaced', '{"a":{"b":1,"b":2},"a":{"c":3}}', '{"a": {"c": 3}}'],
  ['nested dup inside object', '{"x":{"b":1,"a":2,"b":3}}', '{"x": {"a": 2, "b": 3}}'],
  ['dup with different types', '[{"k":1,"k":[1],"k":{"z":0}}]', '[{"k": {"z": 0}}]'],
  ['one key spelled three ways', String.raw`{"é":1,"\u00e9":2,"\u00E9":3}`, String.raw`{"\u00e9": 3}`],
  ['raw vs escaped astral key', String.raw`{"😀":1,"\ud83d\ude00":2}`, String.raw`{"\ud83d\ude00": 2}`],
  ['{"a":1,"b":2,"a":3}', '{"a":1,"b":2,"a":3}', '{"a": 3, "b": 2}'],
  // key order
  ['ASCII code points: "" < "B" < "a" < "a " < "aa" < "b"', '{"b":1,"a":2,"B":3,"":4,"aa":5,"a ":6}', '{"": 4, "B": 3, "a": 2, "a ": 6, "aa": 5, "b": 1}'],
  ['astral after U+E000..U+FFFF', String.raw`{"\uffff":1,"\ud83d\ude00":2,"\ue000":3,"z":7,"\u00e9":6}`, String.raw`{"z": 7, "\u00e9": 6, "\ue000": 3, "\uffff": 1, "\ud83d\ude00": 2}`],
  ['raw UTF-8 keys', '{"\uffff":1,"😀":2,"\ue000":3,"\u{10ffff}":4}', String.raw`{"\ue000": 3, "\uffff": 1, "\ud83d\ude00": 2, "\udbff\udfff": 4}`],
  ['lone high surrogate key sorts at 0xD800, before U+E000', String.raw`{"\ud800":1,"\ue000":2,"\uffff":3}`, String.raw`{"\ud800": 1, "\ue000": 2, "\uffff": 3}`],
  ['lone low surrogate 0xDC00 before U+1F600', String.raw`{"\udc00":1,"\ud83d\ude00":2}`, String.raw`{"\udc00": 1, "\ud83d\ude00": 2}`],
  ['U+10FFFF, lone U+DC00, U+10000', String.raw`{"\udbff\udfff":1,"\udc00":2,"\ud800\udc00":3}`, String.raw`{"\udc00": 2, "\ud800\udc00": 3, "\udbff\udfff": 1}`],
  ['lone surrogate inside key', String.raw`{"a\ud800":1,"a\uffff":2,"a\ud83d\ude00":3,"a":4}`, String.raw`{"a": 4, "a\ud800": 1, "a\uffff": 2, "a\ud83d\ude00": 3}`],
  ['pair vs its halves', String.raw`{"\ud83d\ude00":1,"\ud83d":2,"\ude00":3}`, String.raw`{"\ud83d": 2, "\ude00": 3, "\ud83d\ude00": 1}`],
  ['prefix and NUL', String.raw`{"a\u0000":1,"a":2,"aa":3}`, String.raw`{"a": 2, "a\u0000": 1, "aa": 3}`],
  ['ordering at depth', String.raw`[{"\uffff":{"😀":1,"\ue000":2}}]`, String.raw`[{"\uffff": {"\ue000": 2, "\ud83d\ude00": 1}}]`],
  // strings
  [String.raw`all short escapes; \/ becomes /`, String.raw`"\"\\\/\b\f\n\r\t"`, String.raw`"\"\\/\b\f\n\r\t"`],
  ['every control char escaped', String.raw`"\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009\u000a\u000b\u000c\u000d\u000e\u000f\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f"`, String.raw`"\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\t\n\u000b\f\r\u000e\u000f\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f"`],
  ['raw DEL', '"\x7f"', String.raw`"\u007f"`],
  ['escaped DEL', String.raw`"\u007F"`, String.raw`"\u007f"`],
  ['hex case', String.raw`"\u00E9\u00e9"`, String.raw`"\u00e9\u00e9"`],
  ['raw non-ASCII', '"é中😀"', String.raw`"\u00e9\u4e2d\ud83d\ude00"`],
  ['raw edge code points', '"\u{10ffff}\uffff\ue000\x80\u2028\u2029\ufeff\xa0"', String.raw`"\udbff\udfff\uffff\ue000\u0080\u2028\u2029\ufeff\u00a0"`],
  ['escaped pair, upper hex', String.raw`"\uD83D\uDE00"`, String.raw`"\ud83d\ude00"`],
  ['lone high', String.raw`"\ud800"`, String.raw`"\ud800"`],
  ['lone low', String.raw`"\udc00"`, String.raw`"\udc00"`],
  ['two highs', String.raw`"\ud800\ud800"`, String.raw`"\ud800\ud800"`],
  ['reversed pair', String.raw`"\ude00\ud83d"`, String.raw`"\ude00\ud83d"`],
  ['high then ASCII', String.raw`"\ud83dx"`, String.raw`"\ud83dx"`],
  ['high then escaped ASCII', String.raw`"\ud83d\u0041"`, String.raw`"\ud83dA"`],
  ['no HTML escaping', String.raw`"a/b <>&'"`, String.raw`"a/b <>&'"`],
  ['"~ "', '"~ "', '"~ "'],
  ['empty string', '""', '""'],
];

/** Bodies CPython 3.11.7 rejects (json.JSONDecodeError); each must be MALFORMED. */
// prettier-ignore
const INVALID: readonly string[] = [
  // strings: raw control chars, bad escapes, unterminated, single quotes
  '"\x01"', '"\t"', '"\n"', String.raw`"\x41"`, String.raw`"\u12"`, String.raw`"\u12G4"`,
  String.raw`"\U0041"`, String.raw`"\a"`, String.raw`"\'"`, '"\\', '"abc', String.raw`'a'`,
  // structure: trailing commas
  '[1,]', '{"a":1,}',
  // numbers: leading zeros, signs, bare dots, empty exponents, hex, underscores
  '01', '-01', '+1', '.5', '1.', '1.e5', '1e', '1e+', '-', '--1', '- 1', '0x10', '1_000',
  // empty, extra data, missing or wrong delimiters
  '', ' ', '1 2', '[1 2]', '{"a" 1}', '{1:2}', '{a:1}', '[,]', '{,}', '[', ']', '{"a":1',
  '[1]x', '{}{}', '"a""b"',
  // whitespace JSON does not allow (\f \v NBSP U+2028), comments, stray BOMs, non-ASCII digit
  '\f1', '\v1', '\xa01', '\u20281', '1\u2028', '/**/1', '1 // c', '[1true]', '\ufeff\ufeff1',
  ' \ufeff1', '\ufeff', '١',
];

// ---- Generated rows: sizes that do not fit in a table ----------------------------------------------

const digits4300 = '1' + '234567890'.repeat(477) + '7'.repeat(6); // 4300 digits
const digits4301 = digits4300 + '1';
const nestArrays = (depth: number, leaf = '1') => '['.repeat(depth) + leaf + ']'.repeat(depth);
const nestObjects = (depth: number, sep = ':') => `{"a"${sep}`.repeat(depth) + '1' + '}'.repeat(depth);

const GENERATED: readonly Row[] = [
  // CPython 3.11 refuses int <-> str conversions over 4300 digits (ValueError), sign not counted.
  ['4300-digit integer', digits4300, digits4300],
  ['-4300-digit integer', '-' + digits4300, '-' + digits4300],
  ['4301-digit integer', digits4301, MALFORMED],
  ['-4301-digit integer', '-' + digits4301, MALFORMED],
  ['4301-digit integer nested', `{"a":[${digits4301}]}`, MALFORMED],
  // ...but floats have no such limit: long mantissas and exponents just round.
  ['5000-digit float overflows', '1'.repeat(5000) + '.0', 'Infinity'],
  ['5000-digit float via exponent', '1'.repeat(5000) + 'e0', 'Infinity'],
  ['5000-digit fraction underflows', '0.' + '0'.repeat(5000) + '1', '0.0'],
  ['309-digit float', '1' + '0'.repeat(308) + '.0', '1e+308'],
  ['5000-digit exponent', '1e' + '9'.repeat(5000), 'Infinity'],
  // Nesting: depth 512 must work (CPython's own limit, from the recursion limit, is about 995).
  ['512 nested arrays', nestArrays(512), nestArrays(512)],
  ['512 nested objects', nestObjects(512), nestObjects(512, ': ')],
  [
    '512 mixed',
    '[{"a":'.repeat(256) + '1' + '}]'.repeat(256),
    '[{"a": '.repeat(256) + '1' + '}]'.repeat(256),
  ],
  ['512 nested empty arrays', nestArrays(511, '[]'), nestArrays(511, '[]')],
  // Deeper than CPython can go (RecursionError): MALFORMED, and never a stack overflow.
  ['1000 nested arrays', nestArrays(1000), MALFORMED],
  ['1000 nested objects', nestObjects(1000), MALFORMED],
  ['100000 nested arrays', nestArrays(100_000), MALFORMED],
  ['100000 nested objects', nestObjects(100_000), MALFORMED],
  ['100000 unclosed arrays', '['.repeat(100_000), MALFORMED],
  ['1000000 nested arrays', nestArrays(1_000_000), MALFORMED],
];

// ---- Encoding: bodies are bytes -----------------------------------------------------------------

/** Not UTF-8: CPython raises UnicodeDecodeError, we are MALFORMED. */
const NOT_UTF8: readonly Uint8Array[] = [
  bytes('"', [0xff], '"'),
  bytes([0xff]),
  bytes([0xfe], '1'),
  bytes('"', [0x80], '"'), // lone continuation byte
  bytes('"', [0xc0, 0xaf], '"'), // overlong "/"
  bytes('"', [0xc1, 0xbf], '"'),
  bytes('"', [0xe0, 0x80, 0xaf], '"'),
  bytes('"', [0xf0, 0x80, 0x80, 0xaf], '"'),
  bytes('"', [0xf4, 0x90, 0x80, 0x80], '"'), // above U+10FFFF
  bytes('"', [0xf8, 0x88, 0x80, 0x80, 0x80], '"'),
  bytes('"', [0xe4, 0xb8], '"'), // truncated sequence
  bytes('"', [0xe4, 0xb8]), // truncated at end of body
  bytes('{"', [0xff], '":1}'),
  bytes([0xef, 0xbb], '1'), // half a BOM
];

/**
 * Surrogates encoded as UTF-8 (CESU-8): json.loads(bytes) decodes with 'surrogatepass' and
 * ACCEPTS these; they are not UTF-8, so by contract we reject them (a Python signer never sends
 * them: json.dumps is ASCII-only).
 */
const SURROGATE_BYTES: readonly (readonly [body: Uint8Array, python: string])[] = [
  [bytes('"', [0xed, 0xa0, 0x80], '"'), String.raw`"\ud800"`],
  [bytes('"', [0xed, 0xa0, 0xbd, 0xed, 0xb8, 0x80], '"'), String.raw`"\ud83d\ude00"`],
  [bytes('{"', [0xed, 0xb0, 0x80], '":1}'), String.raw`{"\udc00": 1}`],
];

/**
 * A NUL among the first two bytes makes json.loads(bytes) decode as UTF-16/32, and CPython accepts
 * these. Read as UTF-8 none is valid JSON, so either MALFORMED or exactly CPython's output is safe.
 */
const UTF16_OR_32: readonly (readonly [body: Uint8Array, python: string])[] = [
  [bytes('1', [0]), '1'], // 2 bytes: UTF-16-LE
  [bytes([0], '1'), '1'], // UTF-16-BE
  [bytes('[', [0], '1', [0], ']', [0]), '[1]'],
  [bytes([0], '{', [0], '}'), '{}'],
  [bytes('1', [0, 0, 0]), '1'], // UTF-32-LE
  [bytes([0, 0, 0], '1'), '1'], // UTF-32-BE
];
/** With a UTF-16/32 byte-order mark the body is not UTF-8 at all: MALFORMED. */
const UTF16_OR_32_BOM: readonly (readonly [body: Uint8Array, python: string])[] = [
  [bytes([0xff, 0xfe], '1', [0]), '1'],
  [bytes([0xfe, 0xff, 0], '1'), '1'],
  [bytes([0xff, 0xfe, 0, 0], '1', [0, 0, 0]), '1'],
];

/** A UTF-8 BOM is stripped, as json.loads(bytes) does; only one, and only at the very start. */
const BOM_ROWS: readonly Row[] = [
  ['UTF-8 BOM is stripped', '\ufeff{"a":1}', '{"a": 1}'],
  ['BOM then whitespace', '\ufeff \n[1]', '[1]'],
  ['BOM bytes then object', bytes([0xef, 0xbb, 0xbf], '{"b":1,"a":2}'), '{"a": 2, "b": 1}'],
  ['BOM only', bytes([0xef, 0xbb, 0xbf]), MALFORMED],
  ['two BOMs', bytes([0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf], '1'), MALFORMED],
  ['whitespace then BOM', bytes(' ', [0xef, 0xbb, 0xbf], '1'), MALFORMED],
  ['BOM after value', bytes('1', [0xef, 0xbb, 0xbf]), MALFORMED],
  ['BOM inside a string is data', bytes('"', [0xef, 0xbb, 0xbf], '"'), String.raw`"\ufeff"`],
];

// ---- Seed 000: what the Python client really sends and signs -------------------------------------

/**
 * Seed 000's client signs json.dumps(data, sort_keys=True) but sends `requests.post(json=data)`,
 * i.e. json.dumps(data) in insertion order. Each entry is `data` as JSON, in the seed's key order.
 */
const SEED_DATA: readonly string[] = [
  '{"token": "node-token-from-master", "timestamp": 1234567890}',
  '{"node_id": 1, "api_secret": "your-api-secret", "timestamp": 1234567890, "stats": {"uptime": 86400, "connections": 15, "traffic_up": 1073741824, "traffic_down": 5368709120}}',
  '{"node_id": 1, "api_secret": "your-api-secret"}',
  '{"timestamp": 1234567890}',
  '{"config": "{\\"log\\": {\\"loglevel\\": \\"warning\\"}, \\"inbounds\\": [{\\"port\\": 443, \\"tag\\": \\"入站\\"}]}", "timestamp": 1234567890}',
  '{"lines": 100, "timestamp": 1234567890}',
  '{"timestamp": 1733000000, "stats": {"uptime": 86400.5, "load": 0.00001, "xray_status": "running", "note": "重启成功"}}',
];
const SEED_SECRET = 'your-api-secret';

/** The heartbeat body as `requests` sent it (Python 3.11.7, requests 2.34.2), and what was signed. */
const HEARTBEAT_SENT =
  '{"node_id": 1, "api_secret": "your-api-secret", "timestamp": 1234567890, "stats": {"uptime": 86400, "connections": 15, "traffic_up": 1073741824, "traffic_down": 5368709120}}';
const HEARTBEAT_SIGNED =
  '{"api_secret": "your-api-secret", "node_id": 1, "stats": {"connections": 15, "traffic_down": 5368709120, "traffic_up": 1073741824, "uptime": 86400}, "timestamp": 1234567890}';
const HEARTBEAT_SIGNATURE = 'a22eb6f2eadaf09cd9158e647858576abe79f7c3a8a838e28a710f2a9ec0fff9';

/** The same heartbeat as the seed's curl example sends it: indented, newlines, no sorting. */
const HEARTBEAT_CURL = `{
    "node_id": 1,
    "api_secret": "your-api-secret",
    "timestamp": 1234567890,
    "stats": {
      "uptime": 86400,
      "connections": 15,
      "traffic_up": 1073741824,
      "traffic_down": 5368709120
    }
  }`;

/** Per input line (data as JSON): base64(body requests sends) base64(json.dumps sort_keys) hmac-hex. */
const SEED_CLIENT_PY = `
import base64, hashlib, hmac, json, sys
try:
    import requests
    def sent(data): return requests.Request("POST", "http://node/", json=data).prepare().body
except ImportError:  # what requests does: json.dumps(data, allow_nan=False), UTF-8
    def sent(data): return json.dumps(data, allow_nan=False).encode("utf-8")
secret = sys.argv[1].encode()
for line in sys.stdin:
    data = json.loads(line)
    signed = json.dumps(data, sort_keys=True).encode()
    b64 = lambda b: base64.b64encode(b).decode()
    print(b64(sent(data)), b64(signed), hmac.new(secret, signed, hashlib.sha256).hexdigest())
`;

// ---- Tests ---------------------------------------------------------------------------------------

const ROWS: readonly Row[] = [
  ...TABLE,
  ...INVALID.map((body): Row => [`rejects ${JSON.stringify(body)}`, body, MALFORMED]),
  ...GENERATED,
  ...BOM_ROWS,
];

describe('canonicalize: curated edge cases', () => {
  it.each(ROWS.map((row) => [row[0].slice(0, 100), row] as const))('%s', (_name, [, body, expected]) => {
    expect(run(asBytes(body))).toBe(expected);
    // A string argument means its UTF-8 bytes (a leading BOM aside: for strings json.loads rejects it).
    if (typeof body === 'string' && !body.startsWith('\ufeff')) expect(run(body)).toBe(expected);
  });

  it('rejects bytes that are not UTF-8', () => {
    for (const body of NOT_UTF8) expect(run(body), label(body)).toBe(MALFORMED);
  });

  it('rejects surrogates encoded as UTF-8 bytes, which CPython lets through', () => {
    for (const [body] of SURROGATE_BYTES) expect(run(body), label(body)).toBe(MALFORMED);
  });

  it('treats UTF-16/32 bodies (which CPython detects and decodes) as MALFORMED or exactly as CPython does', () => {
    for (const [body, python] of UTF16_OR_32) expect([MALFORMED, python], label(body)).toContain(run(body));
    for (const [body] of UTF16_OR_32_BOM) expect(run(body), label(body)).toBe(MALFORMED);
  });

  it('between depth 513 and CPython limit, either works like CPython or is MALFORMED', () => {
    for (const depth of [513, 600, 800, 990]) {
      const body = nestArrays(depth);
      expect([MALFORMED, body], `depth ${depth}`).toContain(run(body));
    }
  });

  it('seed 000 heartbeat: the body requests sends canonicalizes to what the client signed', () => {
    expect(run(HEARTBEAT_SENT)).toBe(HEARTBEAT_SIGNED);
    expect(run(HEARTBEAT_CURL)).toBe(HEARTBEAT_SIGNED);
    expect(createHmac('sha256', SEED_SECRET).update(canonicalize(HEARTBEAT_SENT)).digest('hex')).toBe(
      HEARTBEAT_SIGNATURE,
    );
  });
});

describe.skipIf(skipPythonTests)('canonicalize: the table is CPython', () => {
  let version: string | undefined;
  beforeAll(() => {
    version = pythonVersion();
    expect(version, 'python3 is needed as the oracle (set SIGNET_SKIP_PYTHON=1 to skip)').toBeDefined();
  });

  it('every expected output above is what the local CPython produces', () => {
    const python = pythonCanonical(ROWS.map(([, body]) => asBytes(body))).map(fromPython);
    const wrong = ROWS.flatMap(([name, , expected], i) =>
      python[i] === expected
        ? []
        : [
            `${name}: table ${String(expected).slice(0, 60)}, Python ${version} ${String(python[i]).slice(0, 60)}`,
          ],
    );
    expect(wrong).toEqual([]);
  });

  it('CPython behaves as the encoding notes say', () => {
    const all = [...NOT_UTF8, ...[...SURROGATE_BYTES, ...UTF16_OR_32, ...UTF16_OR_32_BOM].map(([b]) => b)];
    const verdicts = pythonCanonical(all);
    const errorOf = (v: PythonCanonical | undefined) => (v === undefined ? 'missing' : v.ok ? 'OK' : v.error);
    expect(NOT_UTF8.map((b, i) => `${label(b)}: ${errorOf(verdicts[i])}`)).toEqual(
      NOT_UTF8.map((b) => `${label(b)}: UnicodeDecodeError`),
    );
    const accepted = [...SURROGATE_BYTES, ...UTF16_OR_32, ...UTF16_OR_32_BOM].map(([, python]) => python);
    expect(verdicts.slice(NOT_UTF8.length).map(fromPython)).toEqual(accepted);
    // Depth: CPython handles 990 and fails (RecursionError) by 1000.
    const [at990, at1000] = pythonCanonical([utf8(nestArrays(990)), utf8(nestArrays(1000))]);
    expect(at990).toEqual({ ok: true, output: nestArrays(990) });
    expect(at1000).toEqual({ ok: false, error: 'RecursionError' });
  });

  it('seed 000: every body the Python client sends canonicalizes to what it signed', () => {
    const clients = runPythonCode(SEED_CLIENT_PY, SEED_DATA, { args: [SEED_SECRET] }).map((line) => {
      const [sent = '', signed = '', signature = ''] = line.split(' ');
      return {
        sent: new Uint8Array(Buffer.from(sent, 'base64')),
        signed: Buffer.from(signed, 'base64').toString('utf8'),
        signature,
      };
    });
    for (const { sent, signed, signature } of clients) {
      expect(run(sent), `sent body ${label(sent)}`).toBe(signed);
      expect(createHmac('sha256', SEED_SECRET).update(canonicalize(sent)).digest('hex')).toBe(signature);
    }
    expect(new TextDecoder().decode(clients[1]?.sent)).toBe(HEARTBEAT_SENT);
  });
});
