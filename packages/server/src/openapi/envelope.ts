import { V1_ERRORS, type V1ErrorCode } from '../route-groups/envelope.js';

/**
 * The OpenAPI envelope of seed 003, in TEM's style: success is `{"Data": …, "Success": true}`, a
 * failure `{"Data": null, "Success": false, "Code": <code>, "Message": "…"}`. The codes and their
 * HTTP statuses are `/v1`'s table (V1_ERRORS): one code table, two envelopes. Routes throw V1Error
 * and the OpenAPI error handler renders it here.
 */
export interface TemEnvelope<T = unknown> {
  readonly Data: T;
  readonly Success: boolean;
  readonly Code?: V1ErrorCode;
  readonly Message?: string;
}

/** The success envelope. */
export function temOk<T>(data: T): TemEnvelope<T> {
  return { Data: data, Success: true };
}

/** The failure envelope of a code, with the table's message unless one is given. */
export function temFailure(code: V1ErrorCode, message: string = V1_ERRORS[code].message): TemEnvelope<null> {
  return { Data: null, Success: false, Code: code, Message: message };
}

/** A response schema for a success envelope around `data` (DESIGN rule 9: it also stops disclosure). */
export function temResponseSchema(data: object): object {
  return {
    type: 'object',
    required: ['Data', 'Success'],
    additionalProperties: false,
    properties: { Data: data, Success: { type: 'boolean' } },
  };
}

/** The JSON schema of a failure envelope, for API documents. */
export const TEM_FAILURE_SCHEMA = Object.freeze({
  type: 'object',
  required: ['Data', 'Success', 'Code', 'Message'],
  properties: {
    Data: { type: 'null' },
    Success: { const: false },
    Code: { type: 'integer' },
    Message: { type: 'string' },
  },
});
