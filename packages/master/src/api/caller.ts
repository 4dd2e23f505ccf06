import { type Principal, principalScopes } from '@signet/server';

/** Who is calling an API operation, whatever the route family it came through. */
export interface Caller {
  /** An admin (web JWT), an access key (TEM-AUTH), a named service (service JWT), or a trusted internal service. */
  readonly kind: 'admin' | 'access-key' | 'service' | 'internal';
  /** The admin's name, the access key, the service's name, or `internal`. */
  readonly name: string;
  /** Whether the caller may change state: the `write` scope, or the internal pre-shared key. */
  readonly canWrite: boolean;
}

const KIND: Readonly<Record<Principal['kind'], Caller['kind']>> = {
  internal: 'internal',
  'access-key': 'access-key',
  web: 'admin',
  service: 'service',
};

/** The caller an authenticated principal stands for; null when the request was not authenticated. */
export function callerOf(principal: Principal | null): Caller | null {
  if (principal === null) return null;
  const name =
    principal.kind === 'internal'
      ? 'internal'
      : principal.kind === 'access-key'
        ? principal.accessKey
        : principal.subject;
  const canWrite = principal.kind === 'internal' || principalScopes(principal).includes('write');
  return { kind: KIND[principal.kind], name, canWrite };
}

/** The scopes of a key or service scope, as principals and tokens carry them. */
export function scopesOf(scope: 'read-only' | 'read-write'): readonly string[] {
  return scope === 'read-write' ? ['read', 'write'] : ['read'];
}
