import type { FastifyInstance } from 'fastify';
import type { JwtVerifier } from '@signet/auth';

export type JwtClaims = Awaited<ReturnType<JwtVerifier>>;

/** Who a `/v1` request was authenticated as; `null` in `/v1/public` and before authentication. */
export type Principal =
  | {
      readonly kind: 'internal';
      /** Which key of the keyring matched (0 = primary). */
      readonly keyIndex: number;
    }
  | { readonly kind: 'web' | 'service'; readonly subject: string; readonly claims: JwtClaims };

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

/** Declares `request.principal`, starting as null (once per context tree). */
export function decoratePrincipal(app: FastifyInstance): void {
  if (!app.hasRequestDecorator('principal')) app.decorateRequest('principal', null);
}
