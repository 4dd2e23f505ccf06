import type { FastifyRequest } from 'fastify';
import { V1Error } from '../route-groups/envelope.js';
import type { Principal } from '../route-groups/principal.js';

/** The scopes a principal carries: an access key's list, a JWT's space-separated `scope` claim. */
export function principalScopes(principal: Principal): readonly string[] {
  switch (principal.kind) {
    case 'access-key':
      return principal.scopes;
    case 'web':
    case 'service': {
      const scope = principal.claims['scope'];
      return typeof scope === 'string' ? scope.split(' ').filter((s) => s !== '') : [];
    }
    case 'internal':
      return []; // a pre-shared key carries no scopes
  }
}

/**
 * Throws 40300 unless the request's principal has `scope` (a read-only key writing, say); 40100
 * when the request was not authenticated at all (a route outside any auth context).
 */
export function requireScope(request: FastifyRequest, scope: string): void {
  const principal = request.principal;
  if (principal === null) throw new V1Error(40100);
  if (principalScopes(principal).includes(scope)) return;
  const holder = principal.kind === 'access-key' ? 'access key' : 'credential';
  throw new V1Error(40300, `this ${holder} does not have the "${scope}" scope`);
}
