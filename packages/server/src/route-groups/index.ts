// The `/v1` route groups of seed 001: envelope, auth plugins, path guard, registration.
export {
  V1_OK,
  V1_ERRORS,
  V1_ERROR_CODES,
  V1Error,
  v1Error,
  v1Ok,
  v1Failure,
  v1ResponseSchema,
  v1CodeForStatus,
  type V1ErrorCode,
  type V1Envelope,
} from './envelope.js';
export { V1_AUTH_FAILURE } from './auth-failure.js';
export { RouteGroupOptionsError } from './options.js';
export type { Principal, JwtClaims } from './principal.js';
export { internalAuth, type InternalAuthOptions } from './internal-auth.js';
export { jwtAuth, type JwtAuthOptions } from './jwt-auth.js';
export { v1PathGuard, v1FrameworkErrors } from './path-guard.js';
export { registerRouteGroups, type RouteGroupsOptions, type GroupRoutes } from './register.js';
