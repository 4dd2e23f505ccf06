import type { FastifyInstance } from 'fastify';
import { RouteGroupOptionsError } from '../route-groups/options.js';
import { pathGuard } from '../route-groups/path-guard.js';
import { decoratePrincipal } from '../route-groups/principal.js';
import { temFailure } from './envelope.js';
import { temErrorHandler, temNotFound } from './error-handler.js';
import { temAuth, type TemAuthOptions } from './tem-auth.js';

export interface OpenApiOptions {
  readonly auth: TemAuthOptions;
  /** Where the OpenAPI lives, e.g. `/api/v1`. */
  readonly prefix: string;
  /** Registers the protected routes; `scope` is already behind the prefix and the TEM-AUTH check. */
  readonly routes: (scope: FastifyInstance) => void | Promise<void>;
}

/**
 * Mounts seed 003's OpenAPI: the path guard for the prefix (register on the root instance so it
 * covers every request), then an encapsulated context under the prefix answering in the TEM
 * envelope, with temAuth and then the given routes, so a route is protected by where it is
 * declared. Public routes (openapi.json) belong in a sibling context.
 */
export async function registerOpenApi(app: FastifyInstance, options: OpenApiOptions): Promise<void> {
  if (typeof options?.routes !== 'function') {
    throw new RouteGroupOptionsError('registerOpenApi: routes must register the protected routes');
  }
  const { prefix, routes } = options;
  await app.register(pathGuard, { prefix, failure: temFailure });
  await app.register(
    async (api) => {
      decoratePrincipal(api);
      api.setErrorHandler(temErrorHandler);
      await api.register(temAuth, options.auth);
      api.setNotFoundHandler(temNotFound); // after temAuth: unknown routes are 401 until signed
      await api.register(async (scope) => routes(scope));
    },
    { prefix },
  );
}
