import { TEM_ALGORITHMS, temAlgorithmName } from '@signet/auth';
import { V1Error } from '@signet/server';
import {
  type AccessKeyRecord,
  type AccessKeyScope,
  createAccessKey,
  deleteAccessKey,
  getAccessKey,
  getAdmin,
  listAccessKeys,
  rotateAccessKey,
  setAccessKeyEnabled,
} from '../../store/index.js';
import type { Caller } from '../caller.js';
import { notFound } from '../errors.js';
import { type ApiDeps, operation, param } from '../operation.js';
import {
  accessKeyParams,
  accessKeySchema,
  arrayOf,
  issuedKeySchema,
  messageSchema,
  object,
} from '../schemas.js';
import { keyView } from '../views.js';

const base = { tag: 'keys', except: ['service', 'internal'] } as const;

/**
 * Keys are managed by admins (their own) and seen by access keys (their owner's); an access key
 * may change only itself, so a leaked key can never mint or take over others. Services and
 * internal callers have no key routes at all: the CLI manages the operator's keys.
 */
async function ownerOf(caller: Caller, deps: ApiDeps): Promise<number | null> {
  if (caller.kind === 'admin') {
    const admin = await getAdmin(deps.db, caller.name);
    if (admin === null) throw new V1Error(40100);
    return admin.id;
  }
  if (caller.kind === 'access-key') {
    const own = await getAccessKey(deps.db, caller.name);
    if (own === null) throw new V1Error(40100);
    return own.ownerAdminId;
  }
  throw new V1Error(40300, 'access keys are managed by admins');
}

/** A key the caller may change, or a 404 (never telling that someone else's key exists). */
async function managedKey(caller: Caller, deps: ApiDeps, accessKey: string): Promise<AccessKeyRecord> {
  const [owner, key] = await Promise.all([ownerOf(caller, deps), getAccessKey(deps.db, accessKey)]);
  const mine = caller.kind === 'admin' ? key?.ownerAdminId === owner : key?.accessKey === caller.name;
  if (key === null || !mine) throw notFound('access key');
  return key;
}

/** The level of a known algorithm's row (0 or 3), undefined for an unknown one. */
const levelOf = (name: string) => {
  const known = temAlgorithmName(name);
  return known === undefined ? undefined : TEM_ALGORITHMS[known].level;
};

export const keyOperations = [
  operation({
    ...base,
    id: 'keys.algorithms',
    method: 'GET',
    path: '/keys/algorithms',
    write: false,
    summary: 'The TEM-AUTH algorithms a new key may use here (L0 only when the operator enabled it)',
    data: arrayOf(
      object({ name: { type: 'string' }, level: { type: 'integer' }, allowed: { type: 'boolean' } }),
    ),
    run: async (_input, _caller, deps) =>
      Object.entries(TEM_ALGORITHMS).map(([name, row]) => ({
        name,
        level: row.level,
        allowed: row.level === 3 || deps.allowLevel0Keys,
      })),
  }),
  operation({
    ...base,
    id: 'keys.list',
    method: 'GET',
    path: '/keys',
    write: false,
    summary: "The caller's access keys (an access key: its owner's), with last use; never their secrets",
    data: arrayOf(accessKeySchema),
    run: async (_input, caller, deps) =>
      (await listAccessKeys(deps.db, { ownerAdminId: await ownerOf(caller, deps) })).map(keyView),
  }),
  operation({
    ...base,
    id: 'keys.create',
    method: 'POST',
    path: '/keys',
    write: true,
    // Not for access keys either: a leaked key must not be able to mint others.
    except: ['service', 'internal', 'openapi'],
    summary: 'Create an access key (admins only); its secret key is in this answer only',
    body: {
      type: 'object',
      additionalProperties: false,
      properties: {
        algorithm: { type: 'string', maxLength: 32, default: 'L3.SHA256' },
        scope: { enum: ['read-only', 'read-write'], default: 'read-only' },
        description: { type: 'string', maxLength: 200 },
      },
    },
    data: issuedKeySchema,
    run: async ({ body }, caller, deps) => {
      const input = (body ?? {}) as { algorithm?: string; scope?: AccessKeyScope; description?: string };
      const algorithm = input.algorithm ?? 'L3.SHA256';
      const level = levelOf(algorithm);
      if (level === undefined) {
        throw new V1Error(40000, `algorithm: expected one of ${Object.keys(TEM_ALGORITHMS).join(', ')}`);
      }
      if (level === 0 && !deps.allowLevel0Keys) {
        throw new V1Error(40000, 'L0 keys are disabled on this server: choose an L3 algorithm');
      }
      if (caller.kind !== 'admin') {
        throw new V1Error(40300, 'access keys are made by admins (the console) or with `signet key create`');
      }
      const ownerAdminId = await ownerOf(caller, deps);
      const { record, secretKey } = await createAccessKey(deps.db, deps.fernet, {
        algorithm,
        scope: input.scope ?? 'read-only',
        ownerAdminId,
        ...(input.description === undefined ? {} : { description: input.description }),
      });
      return { ...keyView(record), secretKey };
    },
  }),
  ...(['disable', 'enable'] as const).map((verb) =>
    operation({
      ...base,
      id: `keys.${verb}`,
      method: 'POST',
      path: `/keys/:accessKey/${verb}`,
      write: true,
      summary:
        verb === 'disable' ? 'Disable an access key (refused from now on)' : 'Enable an access key again',
      params: accessKeyParams,
      data: accessKeySchema,
      run: async ({ params }, caller, deps) => {
        const key = await managedKey(caller, deps, param(params, 'accessKey'));
        await setAccessKeyEnabled(deps.db, key.accessKey, verb === 'enable');
        return keyView((await getAccessKey(deps.db, key.accessKey)) ?? key);
      },
    }),
  ),
  operation({
    ...base,
    id: 'keys.rotate',
    method: 'POST',
    path: '/keys/:accessKey/rotate',
    write: true,
    summary: 'A new secret key for the same access key (the old one stops working at once); shown once',
    params: accessKeyParams,
    data: issuedKeySchema,
    run: async ({ params }, caller, deps) => {
      const key = await managedKey(caller, deps, param(params, 'accessKey'));
      const { record, secretKey } = await rotateAccessKey(deps.db, deps.fernet, key.accessKey);
      return { ...keyView(record), secretKey };
    },
  }),
  operation({
    ...base,
    id: 'keys.delete',
    method: 'DELETE',
    path: '/keys/:accessKey',
    write: true,
    summary: 'Delete an access key',
    params: accessKeyParams,
    data: messageSchema,
    run: async ({ params }, caller, deps) => {
      const key = await managedKey(caller, deps, param(params, 'accessKey'));
      await deleteAccessKey(deps.db, key.accessKey);
      return { message: 'access key deleted' };
    },
  }),
];
