import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { JwtVerifier } from '@signet/auth';
import { describeError } from './describe-error.js';
import { v1Failure, v1Ok, v1ResponseSchema, v1Status } from './envelope.js';
import { internalAuth, type InternalAuthOptions } from './internal-auth.js';
import { jwtAuth } from './jwt-auth.js';
import { RouteGroupOptionsError } from './options.js';
import { v1PathGuard } from './path-guard.js';
import { decoratePrincipal } from './principal.js';

/** Registers a group's routes; `app` is already behind the group's prefix and authentication. */
export type GroupRoutes = (app: FastifyInstance) => void | Promise<void>;

export interface RouteGroupsOptions {
  /** `/v1/internal`: seed 001's signature. Required: the seed's hello-world route lives there. */
  readonly internal: InternalAuthOptions;
  /** `/v1/web`: JWTs for the web audience. Required when `routes.web` is given. */
  readonly web?: { readonly verifier: JwtVerifier };
  /** `/v1/service`: JWTs for the service audience. Required when `routes.service` is given. */
  readonly service?: { readonly verifier: JwtVerifier };
  readonly routes?: {
    readonly internal?: GroupRoutes;
    readonly web?: GroupRoutes;
    readonly service?: GroupRoutes;
    readonly public?: GroupRoutes;
  };
}

/**
 * Mounts seed 001's route groups, each an encapsulated context under its prefix with its policy:
 * `/v1/internal` (internal signature), `/v1/web` and `/v1/service` (JWT), `/v1/public` (open).
 * Protected routes are registered inside their auth plugin's context and public ones in a sibling
 * context, so a route is protected by where it is declared, never by matching its path. Every
 * answer under `/v1` is the `{code, message, data}` envelope; a path not in normal form is refused
 * before any group sees it (register on the root instance so that guard covers every request).
 */
export async function registerRouteGroups(app: FastifyInstance, options: RouteGroupsOptions): Promise<void> {
  const routes = options.routes ?? {};
  if (options.internal === undefined)
    throw new RouteGroupOptionsError('registerRouteGroups: internal is required');
  for (const kind of ['web', 'service'] as const) {
    if (routes[kind] !== undefined && options[kind] === undefined) {
      throw new RouteGroupOptionsError(`registerRouteGroups: ${kind} routes need ${kind}.verifier`);
    }
  }

  await app.register(v1PathGuard);
  await app.register(
    async (v1) => {
      decoratePrincipal(v1);
      v1.setErrorHandler(v1ErrorHandler);
      v1.setNotFoundHandler(v1NotFound);

      await v1.register(
        async (group) => {
          await group.register(internalAuth, options.internal);
          group.setNotFoundHandler(v1NotFound); // unknown routes too are answered only once authenticated
          group.get(
            '/user/hello-world',
            { schema: { response: { 200: v1ResponseSchema({ type: 'null' }) } } },
            async () => v1Ok(null),
          );
          if (routes.internal) await group.register(async (scope) => routes.internal?.(scope));
        },
        { prefix: '/internal' },
      );

      for (const kind of ['web', 'service'] as const) {
        const auth = options[kind];
        if (auth === undefined) continue;
        await v1.register(
          async (group) => {
            await group.register(jwtAuth, { verifier: auth.verifier, kind });
            group.setNotFoundHandler(v1NotFound);
            const groupRoutes = routes[kind];
            if (groupRoutes) await group.register(async (scope) => groupRoutes(scope));
          },
          { prefix: `/${kind}` },
        );
      }

      if (routes.public) {
        const publicRoutes = routes.public;
        await v1.register(async (group) => publicRoutes(group), { prefix: '/public' });
      }
    },
    { prefix: '/v1' },
  );
}

async function v1NotFound(_request: FastifyRequest, reply: FastifyReply) {
  return reply.code(404).send(v1Failure(40400));
}

/** Every error under `/v1` as the envelope; auth failures generic, 5xx logged, details never sent. */
async function v1ErrorHandler(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) {
  const { code, message } = describeError(error);
  if (v1Status(code) >= 500) request.log.error({ err: error }, 'request failed');
  return reply.code(v1Status(code)).send(v1Failure(code, message));
}
