// JSON schemas of the resources the API returns; `additionalProperties: false` everywhere, so a
// field nobody declared (a secret, say) can never be serialized.

const str = { type: 'string' };
const nullableStr = { type: ['string', 'null'] };
const int = { type: 'integer' };
const bool = { type: 'boolean' };
/** Byte counters are decimal strings: they pass 2^53. */
export const bytes = { type: 'string', pattern: '^[0-9]+$' };

export const object = (properties: Record<string, object>, required = Object.keys(properties)) => ({
  type: 'object',
  additionalProperties: false,
  required,
  properties,
});
export const arrayOf = (items: object) => ({ type: 'array', items });

export const trafficSchema = object({ up: bytes, down: bytes });

export const nodeSettingsSchema = object({
  enable_vless: bool,
  enable_xhttp: bool,
  enable_hysteria2: bool,
  max_users: int,
  port: int,
  ws_port: int,
  tls_cert_file: nullableStr,
  tls_key_file: nullableStr,
});

/** What callers may change: any subset; `enable_splithttp` is the seed's name of `enable_xhttp`. */
export const nodeSettingsInputSchema = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    enable_vless: bool,
    enable_xhttp: bool,
    enable_splithttp: bool,
    enable_hysteria2: bool,
    max_users: { type: 'integer', minimum: 0, maximum: 100_000 },
    port: { type: 'integer', minimum: 1, maximum: 65535 },
    ws_port: { type: 'integer', minimum: 1, maximum: 65535 },
    tls_cert_file: { type: ['string', 'null'], minLength: 1, maxLength: 4096 },
    tls_key_file: { type: ['string', 'null'], minLength: 1, maxLength: 4096 },
  },
};

export const nodeSchema = object({
  id: int,
  name: str,
  online: bool,
  hiddenPath: nullableStr,
  settings: nodeSettingsSchema,
  workerUrl: nullableStr,
  coreFlavour: nullableStr,
  coreVersion: nullableStr,
  coreStatus: nullableStr,
  configVersion: nullableStr,
  tlsPinned: bool,
  tlsMismatchAt: nullableStr,
  secretRotation: object({ pendingSince: nullableStr, previousValidUntil: nullableStr }),
  createdAt: str,
  registeredAt: nullableStr,
  lastHeartbeatAt: nullableStr,
  stats: { type: ['object', 'null'], additionalProperties: { type: ['integer', 'number'] } },
  traffic: trafficSchema,
});

export const userSchema = object({
  id: nullableStr,
  email: str,
  enabled: bool,
  createdAt: str,
  traffic: trafficSchema,
});

export const accessKeySchema = object({
  accessKey: str,
  algorithm: str,
  scope: { enum: ['read-only', 'read-write'] },
  owner: str,
  description: str,
  enabled: bool,
  createdAt: str,
  lastUsedAt: nullableStr,
  useCount: int,
  rotatedAt: nullableStr,
});

/** A key as answered once, at creation or rotation: the only time the secret key is sent. */
export const issuedKeySchema = object({ ...accessKeySchema.properties, secretKey: str });

export const auditEventSchema = object({
  id: int,
  at: str,
  actorKind: str,
  actor: str,
  action: str,
  target: nullableStr,
  source: nullableStr,
  result: { enum: ['ok', 'denied', 'failed'] },
  status: { type: ['integer', 'null'] },
  detail: nullableStr,
});

export const nodeIdParams = object({ id: { type: 'string', pattern: '^[1-9][0-9]{0,15}$' } });
export const emailParams = object({ email: { type: 'string', minLength: 3, maxLength: 254 } });
export const accessKeyParams = object({ accessKey: { type: 'string', pattern: '^[0-9a-f]{16}$' } });
export const messageSchema = object({ message: str });
