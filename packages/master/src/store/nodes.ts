import { randomBytes } from 'node:crypto';
import type { Fernet } from '@signet/auth';
import type { Kysely, Selectable } from 'kysely';
import { NodeNameInvalidError, NodeNameTakenError, NodeNotFoundError } from './errors.js';
import { isNodeOnline, type OnlineOptions } from './heartbeat.js';
import { isUniqueViolation } from './lib/constraint-errors.js';
import { checkNodeId } from './lib/ids.js';
import { readNumber, readOptionalDate } from './lib/integers.js';
import { inTransaction } from './lib/transaction.js';
import { issueRegistrationToken, type RegistrationToken, type TokenOptions } from './registration-tokens.js';
import type { Database, NodesTable } from './schema.js';
import {
  DEFAULT_NODE_SETTINGS,
  mergeNodeSettings,
  parseStoredSettings,
  type NodeSettings,
  type NodeSettingsInput,
} from './settings.js';

// The node operations of the store, with registration tokens and heartbeats (their own files).
export {
  DEFAULT_TOKEN_TTL_MS,
  issueRegistrationToken,
  redeemToken,
  type RegistrationToken,
  type TokenOptions,
} from './registration-tokens.js';
export {
  DEFAULT_HEARTBEAT_INTERVAL_MS,
  ONLINE_HEARTBEAT_INTERVALS,
  isNodeOnline,
  recordHeartbeat,
  type Heartbeat,
} from './heartbeat.js';

export interface NodeRecord {
  readonly id: number;
  readonly name: string;
  /** The secret path of the HTTP-based transports, without a leading slash. */
  readonly hiddenPath: string;
  readonly settings: NodeSettings;
  readonly workerUrl: string | null;
  readonly coreFlavour: string | null;
  readonly coreVersion: string | null;
  readonly createdAt: Date;
  readonly registeredAt: Date | null;
  readonly lastHeartbeatAt: Date | null;
  /** The `stats` of the last heartbeat (integers past 2^53 come back rounded). */
  readonly lastStats: unknown;
  readonly coreStatus: string | null;
  readonly configVersion: string | null;
  /** SHA-256 (lower-case hex) of the worker's certificate, pinned at registration; null: verified by CAs. */
  readonly tlsFingerprint: string | null;
  /** When a call to the worker last met another certificate than the pinned one (cleared by registering again). */
  readonly tlsMismatchAt: Date | null;
  /**
   * A secret rotation under way: since when a new secret waits for the worker's confirmation, and
   * until when the replaced one is still accepted (null once that time has passed).
   */
  readonly secretRotation: { readonly pendingSince: Date | null; readonly previousValidUntil: Date | null };
  /** Derived: a heartbeat arrived within the last 3 heartbeat intervals. */
  readonly online: boolean;
}

/** When and by which heartbeat interval `online` is judged (defaults: now, 60 s). */
export type NodeReadOptions = OnlineOptions;

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * Creates a node (with a fresh API secret, stored Fernet-encrypted, and a fresh hidden path) and a
 * one-time registration token for it.
 *
 * @throws {NodeNameInvalidError} / {NodeNameTakenError} / {NodeSettingsInvalidError}
 */
export async function createNode(
  db: Kysely<Database>,
  fernet: Fernet,
  name: string,
  settings: NodeSettingsInput = {},
  options: TokenOptions = {},
): Promise<{ nodeId: number } & RegistrationToken> {
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new NodeNameInvalidError(
      'name: expected 1-64 characters of [A-Za-z0-9._-], starting with a letter or digit',
    );
  }
  const merged = mergeNodeSettings(DEFAULT_NODE_SETTINGS, settings);
  const now = options.now ?? new Date();
  return inTransaction(db, async (trx) => {
    let row: { id: number | bigint };
    try {
      row = await trx
        .insertInto('nodes')
        .values({
          name,
          api_secret: fernet.encrypt(randomBytes(32).toString('hex')),
          hidden_path: randomBytes(12).toString('hex'),
          settings: JSON.stringify(merged),
          created_at: now.getTime(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
    } catch (error) {
      if (isUniqueViolation(error))
        throw new NodeNameTakenError('name: a node with this name exists', { name });
      throw error;
    }
    const nodeId = readNumber(row.id);
    return { nodeId, ...(await issueRegistrationToken(trx, nodeId, { ...options, now })) };
  });
}

export async function getNode(
  db: Kysely<Database>,
  nodeId: number,
  options: NodeReadOptions = {},
): Promise<NodeRecord | null> {
  const row = await db
    .selectFrom('nodes')
    .selectAll()
    .where('id', '=', checkNodeId(nodeId))
    .executeTakeFirst();
  return row === undefined ? null : toRecord(row, options);
}

export async function getNodeByName(
  db: Kysely<Database>,
  name: string,
  options: NodeReadOptions = {},
): Promise<NodeRecord | null> {
  const row = await db.selectFrom('nodes').selectAll().where('name', '=', name).executeTakeFirst();
  return row === undefined ? null : toRecord(row, options);
}

/** Every node, by id. */
export async function listNodes(db: Kysely<Database>, options: NodeReadOptions = {}): Promise<NodeRecord[]> {
  const rows = await db.selectFrom('nodes').selectAll().orderBy('id').execute();
  return rows.map((row) => toRecord(row, options));
}

/**
 * Applies `input` to the node's settings and returns the result (`enable_splithttp` is accepted as
 * the seed's name of `enable_xhttp`).
 *
 * @throws {NodeNotFoundError} / {NodeSettingsInvalidError}
 */
export async function updateSettings(
  db: Kysely<Database>,
  nodeId: number,
  input: NodeSettingsInput,
): Promise<NodeSettings> {
  return inTransaction(db, async (trx) => {
    const row = await trx
      .selectFrom('nodes')
      .select('settings')
      .where('id', '=', checkNodeId(nodeId))
      .executeTakeFirst();
    if (row === undefined) throw new NodeNotFoundError('nodeId: no such node', { nodeId });
    const settings = mergeNodeSettings(parseStoredSettings(row.settings), input);
    await trx
      .updateTable('nodes')
      .set({ settings: JSON.stringify(settings) })
      .where('id', '=', nodeId)
      .execute();
    return settings;
  });
}

const FINGERPRINT = /^[0-9a-f]{64}$/;

/**
 * Pins the certificate a worker registered with (SHA-256, lower-case hex), or drops the pin (null:
 * the worker's certificate is verified by CAs); either way a recorded mismatch is cleared.
 *
 * @throws {NodeNotFoundError}
 */
export async function setNodeTlsPin(
  db: Kysely<Database>,
  nodeId: number,
  fingerprint: string | null,
): Promise<void> {
  if (fingerprint !== null && (typeof fingerprint !== 'string' || !FINGERPRINT.test(fingerprint)))
    throw new RangeError('fingerprint: expected 64 lower-case hex digits, or null');
  const result = await db
    .updateTable('nodes')
    .set({ tls_fingerprint: fingerprint, tls_mismatch_at: null })
    .where('id', '=', checkNodeId(nodeId))
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) throw new NodeNotFoundError('nodeId: no such node', { nodeId });
}

/**
 * Records that the node's worker presented another certificate than `fingerprint`, its pin; a pin
 * replaced in the meantime (the node registered again) is left alone. True when recorded.
 */
export async function flagTlsMismatch(
  db: Kysely<Database>,
  nodeId: number,
  fingerprint: string,
  at: Date = new Date(),
): Promise<boolean> {
  const result = await db
    .updateTable('nodes')
    .set({ tls_mismatch_at: at.getTime() })
    .where('id', '=', checkNodeId(nodeId))
    .where('tls_fingerprint', '=', fingerprint)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Deletes the node with its tokens and traffic rows; false when there was no such node. */
export async function deleteNode(db: Kysely<Database>, nodeId: number): Promise<boolean> {
  const result = await db.deleteFrom('nodes').where('id', '=', checkNodeId(nodeId)).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

function toRecord(row: Selectable<NodesTable>, options: NodeReadOptions): NodeRecord {
  const lastHeartbeatAt = readOptionalDate(row.last_heartbeat_at);
  return Object.freeze({
    id: readNumber(row.id),
    name: row.name,
    hiddenPath: row.hidden_path,
    settings: parseStoredSettings(row.settings),
    workerUrl: row.worker_url,
    coreFlavour: row.core_flavour,
    coreVersion: row.core_version,
    createdAt: new Date(readNumber(row.created_at)),
    registeredAt: readOptionalDate(row.registered_at),
    lastHeartbeatAt,
    lastStats: row.last_stats === null ? null : (JSON.parse(row.last_stats) as unknown),
    coreStatus: row.core_status,
    configVersion: row.config_version,
    tlsFingerprint: row.tls_fingerprint,
    tlsMismatchAt: readOptionalDate(row.tls_mismatch_at),
    secretRotation: Object.freeze({
      pendingSince: readOptionalDate(row.api_secret_next_since),
      previousValidUntil: stillValid(readOptionalDate(row.api_secret_previous_until), options.now),
    }),
    online: isNodeOnline(lastHeartbeatAt, options),
  });
}

function stillValid(until: Date | null, now: Date = new Date()): Date | null {
  return until !== null && until > now ? until : null;
}
