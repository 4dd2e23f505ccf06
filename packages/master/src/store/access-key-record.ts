import type { TemAlgorithmName } from '@signet/auth';
import type { Kysely, Selectable } from 'kysely';
import { readNumber, readOptionalDate } from './lib/integers.js';
import type { AccessKeysTable, Database } from './schema.js';

export type AccessKeyScope = 'read-only' | 'read-write';

/** An access key as the store returns it: never its secret key. */
export interface AccessKeyRecord {
  /** 16 lower-case hex characters. */
  readonly accessKey: string;
  readonly algorithm: TemAlgorithmName;
  readonly scope: AccessKeyScope;
  /** null: the built-in operator. */
  readonly ownerAdminId: number | null;
  /** The owning admin's name, or 'operator'. */
  readonly owner: string;
  readonly description: string;
  readonly enabled: boolean;
  readonly createdAt: Date;
  readonly lastUsedAt: Date | null;
  readonly useCount: number;
  readonly rotatedAt: Date | null;
}

export const OPERATOR_OWNER = 'operator';
export const ACCESS_KEY_SCOPES: readonly AccessKeyScope[] = Object.freeze(['read-only', 'read-write']);
/** The shape of every AK the store issues; anything else is looked up nowhere. */
export const ACCESS_KEY_FORMAT = /^[0-9a-f]{16}$/;

type AccessKeyRow = Selectable<AccessKeysTable> & { owner_name: string | null };

/** The access keys with their owners' names. */
export function selectAccessKeys(db: Kysely<Database>) {
  return db
    .selectFrom('access_keys')
    .leftJoin('admins', 'admins.id', 'access_keys.owner_admin_id')
    .selectAll('access_keys')
    .select('admins.name as owner_name');
}

export function toAccessKey(row: AccessKeyRow): AccessKeyRecord {
  const ownerAdminId = row.owner_admin_id === null ? null : readNumber(row.owner_admin_id);
  return Object.freeze({
    accessKey: row.access_key,
    // Written by createAccessKey from temAlgorithmName, so always a canonical name.
    algorithm: row.algorithm as TemAlgorithmName,
    scope: row.scope,
    ownerAdminId,
    owner: ownerAdminId === null ? OPERATOR_OWNER : (row.owner_name ?? ''),
    description: row.description,
    enabled: readNumber(row.enabled) === 1,
    createdAt: new Date(readNumber(row.created_at)),
    lastUsedAt: readOptionalDate(row.last_used_at),
    useCount: readNumber(row.use_count),
    rotatedAt: readOptionalDate(row.rotated_at),
  });
}
