import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { bearerToken, type JwtVerifier, TokenInvalidError } from '@signet/auth';
import { refuse } from './auth-failure.js';
import { checkVerifier, RouteGroupOptionsError } from './options.js';
import { decoratePrincipal } from './principal.js';

export interface JwtAuthOptions {
  /** From createJwtVerifier: the issuer's public keys, the issuer, and this group's audience. */
  readonly verifier: JwtVerifier;
  /** Which group this is, as it appears in `request.principal.kind`. */
  readonly kind: 'web' | 'service';
}

const KINDS: ReadonlySet<unknown> = new Set(['web', 'service']);

/**
 * Requires `Authorization: Bearer <jwt>` accepted by the verifier on every route of the context it
 * is registered in (`/v1/web`, `/v1/service`). Every failure is the same 401 envelope; sets
 * `request.principal = {kind, subject, claims}`.
 */
export const jwtAuth = fp<JwtAuthOptions>(
  async (app: FastifyInstance, options) => {
    const verifier = checkVerifier(options.verifier, 'jwtAuth: verifier');
    const kind = options.kind;
    if (!KINDS.has(kind)) throw new RouteGroupOptionsError("jwtAuth: kind must be 'web' or 'service'");
    decoratePrincipal(app);
    app.addHook('onRequest', async (request) => {
      try {
        const claims = await verifier(bearerToken(request.headers.authorization));
        if (typeof claims.sub !== 'string' || claims.sub === '') {
          throw new TokenInvalidError('token has no subject');
        }
        request.principal = { kind, subject: claims.sub, claims };
      } catch (error) {
        refuse(request, kind, error);
      }
    });
  },
  { name: 'signet-jwt-auth', fastify: '5.x' },
);
