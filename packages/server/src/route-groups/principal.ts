import type { FastifyInstance } from 'fastify';
import type { JwtVerifier, TemAlgorithmName } from '@signet/auth';

export type JwtClaims = Awaited<ReturnType<JwtVerifier>>;

/**
 * Who a request was authenticated as: by a `/v1` group, or by an access key on the OpenAPI
 * (seed 003). `null` in public contexts and before authentication.
 */
export type Principal =
  | {
      readonly kind: 'internal';
      /** Which key of the keyring matched (0 = primary). */
      readonly keyIndex: number;
    }
  | { readonly kind: 'web' | 'service'; readonly subject: string; readonly claims: JwtClaims }
  | {
      readonly kind: 'access-key';
      readonly accessKey: string;
      /** The key's algorithm, fixed at creation (canonical name: L0.PAINTEXT reads L0.PLAINTEXT). */
      readonly algorithm: TemAlgorithmName;
      /** Who the key belongs to (an admin account). */
      readonly subject: string;
      readonly scopes: readonly string[];
    };

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

/** Declares `request.principal`, starting as null (once per context tree). */
export function decoratePrincipal(app: FastifyInstance): void {
  if (!app.hasRequestDecorator('principal')) app.decorateRequest('principal', null);
}
