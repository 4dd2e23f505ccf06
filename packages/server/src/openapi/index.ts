// Seed 003's OpenAPI: TEM-AUTH access keys, the TEM envelope, and their mounting under a prefix.
export { temOk, temFailure, temResponseSchema, TEM_FAILURE_SCHEMA, type TemEnvelope } from './envelope.js';
export { temAuth, type TemAuthOptions } from './tem-auth.js';
export { L0_DISABLED_MESSAGE, type TemResolvedKey } from './authenticate.js';
export { temErrorHandler, temNotFound } from './error-handler.js';
export { requireScope, principalScopes } from './require-scope.js';
export { registerOpenApi, type OpenApiOptions } from './register.js';
