/** Seed 004's envelopes: `{success: true, data}` and `{success: false, error: {code, message, details}}`. */
export function ok<T>(data: T): { success: true; data: T } {
  return { success: true, data };
}

export interface ErrorBody {
  success: false;
  error: { code: string; message: string; details: Record<string, unknown> };
}

export function failure(code: string, message: string, details: Record<string, unknown> = {}): ErrorBody {
  return { success: false, error: { code, message, details } };
}

/** Response schema of the error envelope, shared by every route. */
export const errorSchema = {
  type: 'object',
  required: ['success', 'error'],
  properties: {
    success: { const: false },
    error: {
      type: 'object',
      required: ['code', 'message', 'details'],
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        details: { type: 'object', additionalProperties: true },
      },
    },
  },
} as const;

/** `{success: true, data: <schema>}`. */
export function okSchema(data: object): object {
  return { type: 'object', required: ['success', 'data'], properties: { success: { const: true }, data } };
}
