/** JSON schemas shared by the signer's routes. */
const ID = { type: 'string', minLength: 1, maxLength: 128 } as const;

export const signRequestSchema = {
  type: 'object',
  required: ['platformId', 'accountId', 'data'],
  additionalProperties: false,
  properties: {
    platformId: ID,
    accountId: ID,
    requestId: { type: 'string', maxLength: 128 },
    data: { anyOf: [{ type: 'object' }, { type: 'string' }] },
  },
} as const;

export const signResultSchema = {
  type: 'object',
  required: ['signature', 'algorithm', 'encoding', 'publicKey', 'signedAt', 'payload', 'headers'],
  properties: {
    signature: { type: 'string' },
    algorithm: { type: 'string' },
    encoding: { type: 'string' },
    publicKey: { type: ['string', 'null'] },
    signedAt: { type: 'string' },
    payload: { type: 'string' },
    /** okx: the exact body text to send, when the request has one. */
    body: { type: 'string' },
    headers: { type: 'object', additionalProperties: { type: 'string' } },
  },
} as const;

export const usageSchema = {
  type: 'object',
  properties: {
    totalSigns: { type: 'integer' },
    lastSignAt: { type: ['string', 'null'] },
    errorCount: { type: 'integer' },
  },
} as const;

export const accountSummarySchema = {
  type: 'object',
  properties: {
    accountId: { type: 'string' },
    platformId: { type: 'string' },
    alias: { type: 'string' },
    status: { type: 'string' },
    environment: { type: 'string' },
    usage: usageSchema,
  },
} as const;
