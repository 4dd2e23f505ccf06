import type { Principal } from '@signet/server';

/** Who is calling an API operation, whatever the route family it came through. */
export interface Caller {
  /** An admin (web JWT), an access key (TEM-AUTH), a named service (service JWT), or a trusted internal service. */
  readonly kind: 'admin' | 'access-key' | 'service' | 'internal';
  /** The admin's name, the access key, the service's name, or `internal`. */
  readonly name: string;
  /** Whether the caller may change state (read-write keys and services, admins, internal callers). */
  readonly canWrite: boolean;
}

/** The caller an authenticated principal stands for; null when the request was not authenticated. */
export function callerOf(principal: Principal | null): Caller | null {
  if (principal === null) return null;
  switch (principal.kind) {
    case 'internal':
      return { kind: 'internal', name: 'internal', canWrite: true };
    case 'access-key':
      return { kind: 'access-key', name: principal.accessKey, canWrite: principal.scopes.includes('write') };
    case 'web':
    case 'service': {
      const scope = typeof principal.claims['scope'] === 'string' ? principal.claims['scope'] : '';
      return {
        kind: principal.kind === 'web' ? 'admin' : 'service',
        name: principal.subject,
        canWrite: scope.split(' ').includes('write'),
      };
    }
  }
}

/** The scopes of a key or service scope, as principals and tokens carry them. */
export function scopesOf(scope: 'read-only' | 'read-write'): readonly string[] {
  return scope === 'read-write' ? ['read', 'write'] : ['read'];
}
