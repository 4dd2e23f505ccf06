import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

/**
 * The master's tables as Kysely sees them. Integers that can pass 2^53 (byte counts, sequence numbers,
 * times in milliseconds) are BIGINT in PostgreSQL and INTEGER in SQLite; the drivers hand them back as
 * a string (pg) or a bigint (better-sqlite3 with safe integers), never as a lossy number, and
 * `lib/integers.ts` turns them into the types the store returns.
 */
export type Int64 = ColumnType<bigint | string | number, bigint | number, bigint | number>;
/** A small integer (an id, a 0/1 flag); SQLite still returns it as a bigint. */
export type SmallInt = ColumnType<number | bigint, number, number>;

export interface NodesTable {
  id: Generated<number | bigint>;
  name: string;
  /** A Fernet token (under ENCRYPTION_KEY) of the node's HMAC secret. */
  api_secret: string;
  hidden_path: string;
  /** JSON text of `NodeSettings`. */
  settings: string;
  worker_url: string | null;
  core_flavour: string | null;
  core_version: string | null;
  /** Milliseconds since the epoch, as every `*_at` column. */
  created_at: Int64;
  registered_at: Int64 | null;
  last_heartbeat_at: Int64 | null;
  /** JSON text of the last heartbeat's `stats`. */
  last_stats: string | null;
  core_status: string | null;
  config_version: string | null;
  /** SHA-256 (lower-case hex) of the worker's self-signed certificate, pinned at registration. */
  tls_fingerprint: string | null;
  /** When a call to the worker last met another certificate than the pinned one. */
  tls_mismatch_at: Int64 | null;
  /** A rotation the worker has not confirmed: the next secret (Fernet), since when, and the grace it gives. */
  api_secret_next: string | null;
  api_secret_next_since: Int64 | null;
  api_secret_next_grace_ms: Int64 | null;
  /** The secret a confirmed rotation replaced (Fernet), accepted until `api_secret_previous_until`. */
  api_secret_previous: string | null;
  api_secret_previous_until: Int64 | null;
}

export interface RegistrationTokensTable {
  /** SHA-256 (lower-case hex) of the token; the token itself is never stored. */
  token_hash: string;
  node_id: SmallInt;
  expires_at: Int64;
  used_at: Int64 | null;
}

export interface ProxyUsersTable {
  /** A UUID (the VLESS id). */
  id: string;
  email: string;
  /** 1 or 0. */
  enabled: SmallInt;
  created_at: Int64;
}

export interface TrafficTotalsTable {
  node_id: SmallInt;
  /** The user's email, or '' for the node's own total. */
  user_email: string;
  up: Int64;
  down: Int64;
}

export type TrafficResolution = 'minute' | 'hour' | 'day';

export interface TrafficHistoryTable {
  node_id: SmallInt;
  resolution: TrafficResolution;
  /** The bucket's first millisecond since the epoch. */
  bucket_start: Int64;
  up: Int64;
  down: Int64;
}

export interface TrafficReportsTable {
  node_id: SmallInt;
  boot_id: string;
  user_email: string;
  /** The cumulative counters as last reported within this boot id. */
  up: Int64;
  down: Int64;
}

export interface TrafficMarksTable {
  node_id: SmallInt;
  boot_id: string;
  last_seq: Int64;
}

export interface AdminsTable {
  id: Generated<number | bigint>;
  name: string;
  /** `scrypt$ln=…,r=…,p=…$<salt>$<hash>` (lib/password.ts); the password itself is never stored. */
  password_hash: string;
  created_at: Int64;
  last_login_at: Int64 | null;
  /** Wrong passwords since the last success or lockout. */
  failed_logins: SmallInt;
  locked_until: Int64 | null;
  /** Web tokens issued before this time are refused (a password change or logout sets it). */
  sessions_valid_after: ColumnType<bigint | string | number, bigint | number | undefined, bigint | number>;
}

export interface AccessKeysTable {
  /** 16 lower-case hex characters. */
  access_key: string;
  /** A Fernet token (under ENCRYPTION_KEY) of the secret key. */
  secret: string;
  /** A TEM algorithm's canonical name. */
  algorithm: string;
  scope: 'read-only' | 'read-write';
  /** null: the built-in operator. */
  owner_admin_id: SmallInt | null;
  description: string;
  enabled: SmallInt;
  created_at: Int64;
  last_used_at: Int64 | null;
  use_count: Int64;
  rotated_at: Int64 | null;
}

export interface AuditEventsTable {
  id: Generated<number | bigint>;
  at: Int64;
  actor_kind: string;
  actor: string;
  action: string;
  target: string | null;
  source: string | null;
  result: string;
  status: SmallInt | null;
  detail: string | null;
}

export interface JwtKeysTable {
  kid: string;
  /** A Fernet token (under ENCRYPTION_KEY) of the PKCS#8 PEM private key. */
  private_key: string;
  /** JSON text of the public JWK (kty, crv, x). */
  public_jwk: string;
  created_at: Int64;
  retired_at: Int64 | null;
}

export interface ServicesTable {
  name: string;
  scope: 'read-only' | 'read-write';
  created_at: Int64;
  /** Tokens issued before this time (ms) are revoked. */
  tokens_valid_after: Int64;
}

export interface Database {
  nodes: NodesTable;
  registration_tokens: RegistrationTokensTable;
  proxy_users: ProxyUsersTable;
  traffic_totals: TrafficTotalsTable;
  traffic_reports: TrafficReportsTable;
  traffic_marks: TrafficMarksTable;
  traffic_history: TrafficHistoryTable;
  admins: AdminsTable;
  access_keys: AccessKeysTable;
  audit_events: AuditEventsTable;
  jwt_keys: JwtKeysTable;
  services: ServicesTable;
}

export type NodeRow = Selectable<NodesTable>;
export type NewNodeRow = Insertable<NodesTable>;
export type ProxyUserRow = Selectable<ProxyUsersTable>;
