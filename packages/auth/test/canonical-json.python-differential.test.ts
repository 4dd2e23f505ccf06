/**
 * Differential test: canonicalize(raw) against real CPython's
 * json.dumps(json.loads(raw), sort_keys=True), on thousands of generated JSON *texts* (layouts
 * JSON.stringify never produces: odd whitespace, number spellings, escapes, duplicate keys) and on
 * near-miss invalid texts that both sides must reject.
 *
 * Seed: SIGNET_FC_SEED, else a fixed one (or a fresh one with SIGNET_LONG_TESTS=1); always printed.
 * Size: 5,000 bodies, 50,000 with SIGNET_LONG_TESTS=1.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalize } from '@signet/auth/canonical-json';
import { MalformedError } from '../src/errors.js';
import { pythonCanonical, pythonVersion, skipPythonTests, type PythonCanonical } from './support/python.js';

const LONG = process.env['SIGNET_LONG_TESTS'] === '1';
const RUNS = LONG ? 50_000 : 5_000;
/** How many disagreeing bodies to print (SIGNET_FC_REPORT). */
const REPORT = Number(process.env['SIGNET_FC_REPORT'] ?? 15);
const SEED =
  process.env['SIGNET_FC_SEED'] !== undefined
    ? Number(process.env['SIGNET_FC_SEED'])
    : LONG
      ? (Date.now() ^ (Math.random() * 0x7fffffff)) | 0
      : 0x5167_0000;

// ---- Building blocks of JSON texts ---------------------------------------------------------------

const join = (parts: readonly string[]): string => parts.join('');
const pick = <T>(...values: T[]) => fc.constantFrom(...values);
const digits = (minLength: number, maxLength: number) =>
  fc.string({ unit: pick(...'0123456789'), minLength, maxLength });

/** JSON whitespace is exactly space, \t, \n, \r; mostly none, sometimes a run. */
const ws = fc.oneof(
  { weight: 3, arbitrary: fc.constant('') },
  { weight: 1, arbitrary: fc.array(pick(' ', '\t', '\n', '\r'), { minLength: 1, maxLength: 4 }).map(join) },
);

const intText = fc.oneof(
  fc.integer().map(String),
  pick(
    '0',
    '-0',
    '1',
    '-1',
    '9007199254740992',
    '9007199254740993',
    '-9007199254740993',
    '18446744073709551616',
  ),
  // Far beyond 2^53: must stay exact.
  fc.tuple(pick('', '-'), pick(...'123456789'), digits(15, 80)).map(join),
);

/** Hand-picked layouts around Python's repr switches (1e16, 1e-4), limits and rounding. */
// prettier-ignore
const floatConstants = pick(
  '1.0', '1.5e10', '1E-7', '-0.0', '0.0', '0.1', '1e400', '-1e400', '1e-400', '-1e-400', '5e-324', '2e-324',
  '123456789012345678.5', '1e16', '1e15', '9999999999999998.0', '1e+16', '0.0001', '0.00001', '0.00009999',
  '1.7976931348623157e308', '1.7976931348623159e308', '2.2250738585072014e-308', '9007199254740993.0',
  '0.30000000000000004', '1e21', '1e22', '1e-7', '1e-6', '123e-2', '1e0007', '1E+02', '-0e0', '0e-5', '1.50',
  '100.0', '1e99999999999999999999', '0e99999999999999999999', '1e-99999999999999999999',
);

/** Structurally random: int part, optional fraction, optional exponent (signs, case, leading zeros). */
const floatStructural = fc
  .tuple(
    pick('', '-'),
    fc.oneof(fc.constant('0'), fc.tuple(pick(...'123456789'), digits(0, 22)).map(join)),
    fc.option(
      digits(1, 25).map((d) => '.' + d),
      { nil: '' },
    ),
    fc.option(fc.tuple(pick('e', 'E'), pick('', '+', '-'), digits(1, 4)).map(join), { nil: '' }),
  )
  .filter(([, , frac, exp]) => frac !== '' || exp !== '')
  .map(join);

/** Random doubles in the spellings JavaScript can print, all valid JSON numbers. */
const floatFromDouble = fc
  .tuple(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer({ min: 0, max: 20 }), fc.nat(3))
  .map(([x, k, how]) => {
    if (how === 0) return String(x);
    if (how === 1) return x.toExponential(k);
    if (how === 2) return x.toPrecision(k + 1);
    return x.toFixed(k);
  })
  .filter((s) => /^-?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?$/.test(s));

/** Powers of ten and d·10^n across the whole double range, both sides of every repr switch. */
const floatPowers = fc
  .tuple(fc.integer({ min: 1, max: 99 }), fc.integer({ min: -330, max: 330 }), pick('e', 'E', 'e+'))
  .map(([d, n, e]) => (n < 0 ? `${d}e${n}` : `${d}${e}${n}`));

const numberText = fc.oneof(intText, floatConstants, floatStructural, floatFromDouble, floatPowers);

const literalText = pick('true', 'false', 'null', 'NaN', 'Infinity', '-Infinity');

const hex4 = (n: number, upper: boolean): string => {
  const h = n.toString(16).padStart(4, '0');
  return '\\u' + (upper ? h.toUpperCase() : h);
};
/** Code units worth escaping: controls, DEL, Latin-1, both surrogate halves, private use, U+FFFF. */
const interestingUnit = fc.oneof(
  fc.integer({ min: 0, max: 0x1f }),
  pick(0x7f, 0x80, 0xe9, 0x2028, 0xfeff, 0xe000, 0xfffe, 0xffff),
  fc.integer({ min: 0xd800, max: 0xdfff }),
  fc.integer({ min: 0, max: 0xffff }),
);
const rawCodePoint = fc
  .oneof(
    pick(0xe9, 0x4e2d, 0x1f600, 0x10ffff, 0xffff, 0xe000, 0x80, 0x7f, 0x2028, 0xfeff, 0xa0),
    fc.integer({ min: 0x80, max: 0x10ffff }).filter((c) => c < 0xd800 || c > 0xdfff),
  )
  .map((c) => String.fromCodePoint(c));

const stringPiece = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.string({
      unit: fc
        .integer({ min: 0x20, max: 0x7e })
        .map((c) => String.fromCharCode(c))
        .filter((c) => c !== '"' && c !== '\\'),
      maxLength: 6,
    }),
  },
  { weight: 2, arbitrary: pick('\\"', '\\\\', '\\/', '\\b', '\\f', '\\n', '\\r', '\\t') },
  { weight: 2, arbitrary: fc.tuple(interestingUnit, fc.boolean()).map(([u, up]) => hex4(u, up)) },
  // A proper surrogate pair, written as two escapes.
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: 0xd800, max: 0xdbff }), fc.integer({ min: 0xdc00, max: 0xdfff }), fc.boolean())
      .map(([hi, lo, up]) => hex4(hi, up) + hex4(lo, up)),
  },
  { weight: 2, arbitrary: rawCodePoint },
);
const stringText = fc.array(stringPiece, { maxLength: 6 }).map((ps) => '"' + ps.join('') + '"');

/**
 * Keys: a small pool so duplicates are common (including one key spelled three ways), and keys
 * whose code-point order differs from UTF-16 order (astral vs U+E000..U+FFFF, lone surrogates).
 */
// prettier-ignore
const keyPool = pick(
  '""', '"a"', '"A"', '"B"', '"b"', '"aa"', '"a "', '"a\\u0000"', '"timestamp"', '"node_id"',
  '"\\u00e9"', '"é"', '"\\u00E9"', '"\\uffff"', '"\uffff"', '"\\ue000"', '"\ue000"', '"\\uFB01"',
  '"\\ud83d\\ude00"', '"😀"', '"\\uD83D\\uDE00"', '"\\udbff\\udfff"', '"\u{10ffff}"', '"\\ud800"', '"\\udc00"',
  '"\\u007f"', '"\x7f"',
);
const keyText = fc.oneof({ weight: 3, arbitrary: keyPool }, { weight: 1, arbitrary: stringText });

const scalarText = fc.oneof(
  { weight: 4, arbitrary: numberText },
  { weight: 3, arbitrary: stringText },
  { weight: 1, arbitrary: literalText },
);

const json = fc.letrec<{ value: string; array: string; object: string }>((tie) => ({
  value: fc.oneof(
    { maxDepth: 6, depthSize: 'small' },
    { weight: 3, arbitrary: scalarText },
    { weight: 1, arbitrary: tie('array') },
    { weight: 1, arbitrary: tie('object') },
  ),
  array: fc
    .tuple(ws, fc.array(fc.tuple(ws, tie('value'), ws).map(join), { maxLength: 4 }))
    .map(([w, items]) => (items.length === 0 ? `[${w}]` : `[${items.join(',')}]`)),
  object: fc
    .tuple(
      ws,
      fc.array(fc.tuple(ws, keyText, ws, fc.constant(':'), ws, tie('value'), ws).map(join), { maxLength: 5 }),
    )
    .map(([w, members]) => (members.length === 0 ? `{${w}}` : `{${members.join(',')}}`)),
}));

/** Straight nesting chains, to reach depth 6+ more often than the recursive mix does. */
const chainText = fc
  .tuple(fc.array(fc.tuple(pick('[', '{'), keyText, ws), { minLength: 1, maxLength: 8 }), scalarText)
  .map(([levels, leaf]) =>
    levels.reduceRight(
      (inner, [open, key, w]) => (open === '[' ? `[${w}${inner}]` : `{${key}:${w}${inner}}`),
      leaf,
    ),
  );

const validText = fc
  .tuple(
    ws,
    fc.oneof(
      { weight: 3, arbitrary: json.object },
      { weight: 2, arbitrary: json.array },
      { weight: 2, arbitrary: scalarText }, // top-level scalars are valid JSON too
      { weight: 1, arbitrary: chainText },
    ),
    ws,
  )
  .map(join);

// ---- Near-miss invalid bodies ----------------------------------------------------------------------

const utf8 = new TextEncoder();
const insertAt = (s: string, at: number, what: string): string => s.slice(0, at) + what + s.slice(at);
const positionsOf = (s: string, re: RegExp): number[] => [...s.matchAll(re)].map((m) => m.index);
/** xs[r mod length], for a list known not to be empty. */
function nth<T>(xs: readonly T[], r: number): T {
  const x = xs[r % xs.length];
  if (x === undefined) throw new Error('nth: empty list');
  return x;
}

/** Each mutation takes a valid text and a random number; Python decides whether the result is valid. */
const mutations: readonly ((s: string, r: number) => string | Uint8Array)[] = Object.values({
  trailingComma: (s, r) => {
    const closers = positionsOf(s, /[\]}]/g);
    return closers.length === 0 ? s + ',' : insertAt(s, nth(closers, r), ',');
  },
  singleQuotes: (s) => s.replaceAll('"', "'"),
  leadingZero: (s, r) => {
    const ds = positionsOf(s, /\d/g);
    return ds.length === 0 ? '0' + s : insertAt(s, nth(ds, r), '0');
  },
  plusSign: (s, r) => {
    const ds = positionsOf(s, /[-\d]/g);
    return ds.length === 0 ? '+' + s : insertAt(s, nth(ds, r), '+');
  },
  bareDot: (s, r) => {
    const ds = positionsOf(s, /\d/g);
    return ds.length === 0 ? '.5' : insertAt(s, nth(ds, r) + (r % 2), '.');
  },
  controlChar: (s, r) => insertAt(s, r % (s.length + 1), String.fromCharCode(r % 32)),
  badEscape: (s, r) => {
    const quotes = positionsOf(s, /"/g);
    const bad = nth(['\\x41', '\\u12', '\\u12G4', '\\U0041', '\\', '\\a', "\\'", '\\0'], r);
    return quotes.length === 0 ? `"${bad}"` : insertAt(s, nth(quotes, r) + 1, bad);
  },
  truncate: (s, r) => s.slice(0, r % Math.max(1, s.length)),
  extraData: (s, r) => s + nth([' 1', 'x', '{}', ',', ']', ' "a"', '\u00a0', '\f', 'e5'], r),
  deleteChar: (s, r) => (s.length === 0 ? s : s.slice(0, r % s.length) + s.slice((r % s.length) + 1)),
  insertToken: (s, r) => {
    const tokens = [
      ',',
      ':',
      '[',
      ']',
      '{',
      '}',
      '"',
      '-',
      'e',
      '.',
      '0',
      'NaN',
      'tru',
      '\u00a0',
      '\f',
      '\v',
      '\u2028',
      '\ufeff',
    ];
    return insertAt(s, r % (s.length + 1), nth(tokens, r));
  },
  bom: (s, r) => nth(['\ufeff' + s, '\ufeff\ufeff' + s, ' \ufeff' + s, '\ufeff ' + s], r),
  badUtf8: (s, r) => {
    const bytes = utf8.encode(s);
    const bad = nth(
      [
        [0xff],
        [0x80],
        [0xc0, 0xaf],
        [0xe0, 0x80, 0xaf],
        [0xe4, 0xb8],
        [0xf4, 0x90, 0x80, 0x80],
        [0xed, 0xa0, 0x80],
        [0xed, 0xa0, 0xbd, 0xed, 0xb8, 0x80],
      ],
      r,
    );
    const at = r % (bytes.length + 1);
    return Uint8Array.from([...bytes.subarray(0, at), ...bad, ...bytes.subarray(at)]);
  },
});

// prettier-ignore
const invalidConstants = pick(
  '', ' ', '-', '--1', '- 1', '01', '-01', '+1', '.5', '1.', '1.e5', '1e', '1e+', '0x10', '1_000', '[1,]', '{"a":1,}',
  "'a'", '"\\x"', '"\\u12"', '1 2', '[1 2]', '{"a" 1}', '{1:2}', '{a:1}', '[,]', '{,}', '[', ']', '{"a":1', '"abc',
  '"\t"', 'tru', 'nul', 'True', 'NULL', 'nan', '-NaN', '+Infinity', 'Infinityx', '[1]x', '{}{}', '"a""b"', '\f1', '\v1',
  '\u00a01', '/**/1', '[1true]',
);

const invalidBody = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.tuple(validText, pick(...mutations), fc.nat()).map(([s, mutate, r]) => mutate(s, r)),
  },
  { weight: 1, arbitrary: invalidConstants },
);

const body: fc.Arbitrary<Uint8Array> = fc
  .oneof({ weight: 4, arbitrary: validText }, { weight: 1, arbitrary: invalidBody })
  .map((b) => (typeof b === 'string' ? utf8.encode(b) : b));

// ---- Comparison --------------------------------------------------------------------------------------

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const decodeStrict = (b: Uint8Array): string | undefined => {
  try {
    return strictUtf8.decode(b);
  } catch {
    return undefined;
  }
};
/** Python's json.detect_encoding picks UTF-16/32 when a NUL is among the first two bytes. */
const pythonSeesUtf16or32 = (b: Uint8Array): boolean =>
  (b.length >= 4 || b.length === 2) && (b[0] === 0 || b[1] === 0);

type Outcome = string | { malformed: true } | { crashed: string };
const MALFORMED = { malformed: true } as const;

function ours(input: string | Uint8Array): Outcome {
  try {
    return canonicalize(input);
  } catch (e) {
    if (e instanceof MalformedError && e.code === 'MALFORMED') return MALFORMED;
    return { crashed: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
  }
}

const show = (o: Outcome | PythonCanonical): string => JSON.stringify(o).slice(0, 300);
/** Where two outputs part, with a little context: long outputs are truncated above. */
const firstDifference = (py: PythonCanonical, got: Outcome): string => {
  if (!py.ok || typeof got !== 'string') return '';
  let i = 0;
  while (i < py.output.length && py.output[i] === got[i]) i++;
  const around = (s: string) => JSON.stringify(s.slice(Math.max(0, i - 40), i + 40));
  return `\n  first difference at ${i}: python ${around(py.output)}\n                      ours ${around(got)}`;
};
const describeBody = (b: Uint8Array): string => {
  const text = decodeStrict(b);
  return text === undefined
    ? `bytes ${Buffer.from(b).toString('hex').slice(0, 300)}`
    : JSON.stringify(text).slice(0, 300);
};

/**
 * What canonicalize must do, given Python's verdict:
 * - not valid UTF-8 -> MALFORMED, by contract, even where Python's 'surrogatepass' decoding accepts
 *   CESU-style surrogates;
 * - a NUL in the first two bytes -> MALFORMED or Python's answer: Python decodes such bodies as
 *   UTF-16/32, while as UTF-8 they are never valid JSON;
 * - otherwise exactly Python's output, or MALFORMED where Python raises.
 */
function check(b: Uint8Array, py: PythonCanonical): string | undefined {
  const got = ours(b);
  const text = decodeStrict(b);
  const accept = (o: Outcome): boolean => {
    if (text === undefined) return o === MALFORMED;
    if (pythonSeesUtf16or32(b) && o === MALFORMED) return true;
    return py.ok ? o === py.output : o === MALFORMED;
  };
  if (!accept(got)) {
    return `body ${describeBody(b)}\n  python: ${show(py)}\n  ours:   ${show(got)}${firstDifference(py, got)}`;
  }
  // A string argument means the same as its UTF-8 bytes (without BOM, whose meaning for strings differs).
  if (text !== undefined && !text.startsWith('\ufeff')) {
    const gotText = ours(text);
    if (JSON.stringify(gotText) !== JSON.stringify(got)) {
      return `body ${describeBody(b)}\n  as bytes:  ${show(got)}\n  as string: ${show(gotText)}`;
    }
  }
  return undefined;
}

describe.skipIf(skipPythonTests)(
  'canonicalize vs CPython json.dumps(json.loads(raw), sort_keys=True)',
  () => {
    it(`agrees on ${RUNS} generated bodies (seed ${SEED})`, { timeout: LONG ? 600_000 : 30_000 }, () => {
      const version = pythonVersion();
      expect(version, 'python3 is needed as the oracle (set SIGNET_SKIP_PYTHON=1 to skip)').toBeDefined();
      console.log(
        `canonical-json differential: seed ${SEED}, ${RUNS} bodies, Python ${version} (rerun with SIGNET_FC_SEED=${SEED})`,
      );

      const bodies = fc.sample(body, { seed: SEED, numRuns: RUNS });
      const verdicts = pythonCanonical(bodies);

      const failures = bodies.flatMap((b, i) => {
        const verdict = verdicts[i];
        const failure = verdict === undefined ? 'no verdict from Python' : check(b, verdict);
        return failure === undefined ? [] : [failure];
      });

      // The generator must keep producing both kinds and the interesting outputs, or this test proves little.
      const outputs = verdicts.flatMap((v) => (v.ok ? [v.output] : []));
      const okShare = outputs.length / RUNS;
      expect(okShare, 'share of bodies Python accepts').toBeGreaterThan(0.6);
      expect(okShare, 'share of bodies Python accepts').toBeLessThan(0.95);
      for (const marker of [
        'e+',
        'e-',
        '.0',
        'Infinity',
        'NaN',
        '\\ud83d',
        '\\u00e9',
        '\\u007f',
        '\\ud800',
        '{}',
        '[]',
      ]) {
        expect(
          outputs.some((o) => o.includes(marker)),
          `some Python output contains ${marker}`,
        ).toBe(true);
      }

      expect(
        failures.length,
        `seed ${SEED}: ${failures.length} of ${RUNS} bodies disagree; first ones:\n${failures.slice(0, REPORT).join('\n')}`,
      ).toBe(0);
    });
  },
);
