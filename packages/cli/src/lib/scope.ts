import { ACCESS_KEY_SCOPES, type AccessKeyScope } from '@signet/master';
import { UsageError } from './usage-error.js';

/** A `--scope` argument: read-only or read-write. */
export function parseScope(value: string): AccessKeyScope {
  const scope = ACCESS_KEY_SCOPES.find((s) => s === value);
  if (scope === undefined) throw new UsageError(`--scope: expected ${ACCESS_KEY_SCOPES.join(' or ')}`);
  return scope;
}
