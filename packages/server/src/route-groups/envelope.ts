/**
 * The `/v1` envelope of seed 001: every answer is `{code, message, data}`. Success is
 * `{"code": 20000, "message": "", "data": …}`; a failure carries one of these codes, its HTTP status
 * and `data: null`:
 *
 * | code  | status | meaning                                                                  |
 * |-------|--------|--------------------------------------------------------------------------|
 * | 40000 | 400    | bad request: invalid input, or a path that is not in normal form         |
 * | 40100 | 401    | unauthorized: every failed signature, timestamp, nonce or token check    |
 * | 40300 | 403    | forbidden: authenticated, but not allowed to do this                     |
 * | 40400 | 404    | not found: no such route or resource                                     |
 * | 40900 | 409    | conflict: the name is taken                                              |
 * | 41300 | 413    | payload too large                                                        |
 * | 41500 | 415    | unsupported media type                                                   |
 * | 42900 | 429    | too many requests                                                        |
 * | 50000 | 500    | internal error                                                           |
 * | 50200 | 502    | bad gateway: a node's Worker API did not answer or refused the call      |
 * | 50300 | 503    | unavailable: a dependency such as the replay store did not answer        |
 */

export const V1_OK = 20000;

export type V1ErrorCode =
  40000 | 40100 | 40300 | 40400 | 40900 | 41300 | 41500 | 42900 | 50000 | 50200 | 50300;

/** The one table: each code's HTTP status and default message (a Record, so a new code needs a row). */
export const V1_ERRORS: Readonly<Record<V1ErrorCode, { readonly status: number; readonly message: string }>> =
  {
    40000: { status: 400, message: 'bad request' },
    40100: { status: 401, message: 'unauthorized' },
    40300: { status: 403, message: 'forbidden' },
    40400: { status: 404, message: 'not found' },
    40900: { status: 409, message: 'conflict' },
    41300: { status: 413, message: 'payload too large' },
    41500: { status: 415, message: 'unsupported media type: send Content-Type: application/json' },
    42900: { status: 429, message: 'too many requests' },
    50000: { status: 500, message: 'internal error' },
    50200: { status: 502, message: 'bad gateway' },
    50300: { status: 503, message: 'service unavailable' },
  };

export const V1_ERROR_CODES = Object.freeze(Object.keys(V1_ERRORS).map(Number) as V1ErrorCode[]);

export interface V1Envelope<T = unknown> {
  readonly code: typeof V1_OK | V1ErrorCode;
  readonly message: string;
  readonly data: T;
}

/** A failure answered in the envelope; `statusCode` comes from the table. */
export class V1Error extends Error {
  override readonly name = 'V1Error';
  readonly statusCode: number;
  constructor(
    readonly code: V1ErrorCode,
    message: string = V1_ERRORS[code].message,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.statusCode = V1_ERRORS[code].status;
  }
}

/** Throws the coded error a `/v1` error handler answers as `{code, message, data: null}`. */
export function v1Error(code: V1ErrorCode, message?: string, options?: { cause?: unknown }): never {
  throw new V1Error(code, message, options);
}

/** The success envelope. */
export function v1Ok<T>(data: T): V1Envelope<T> {
  return { code: V1_OK, message: '', data };
}

/** The failure envelope of a code. */
export function v1Failure(code: V1ErrorCode, message: string = V1_ERRORS[code].message): V1Envelope<null> {
  return { code, message, data: null };
}

/** The HTTP status of a code. */
export function v1Status(code: V1ErrorCode): number {
  return V1_ERRORS[code].status;
}

/** The code for an HTTP status (each status has one code); unknown 4xx are 40000, the rest 50000. */
export function v1CodeForStatus(status: number): V1ErrorCode {
  const code = V1_ERROR_CODES.find((c) => V1_ERRORS[c].status === status);
  if (code !== undefined) return code;
  return status >= 400 && status < 500 ? 40000 : 50000;
}

/** A response schema for a success envelope around `data` (DESIGN rule 9: it also stops disclosure). */
export function v1ResponseSchema(data: object): object {
  return {
    type: 'object',
    required: ['code', 'message', 'data'],
    additionalProperties: false,
    properties: { code: { type: 'integer' }, message: { type: 'string' }, data },
  };
}
