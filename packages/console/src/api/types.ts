// The shapes the master's /v1/web routes answer with (packages/master/src/api/schemas.ts).

export interface Traffic {
  readonly up: string;
  readonly down: string;
}

export interface NodeSettings {
  readonly enable_vless: boolean;
  readonly enable_xhttp: boolean;
  readonly enable_hysteria2: boolean;
  readonly max_users: number;
  readonly port: number;
  readonly ws_port: number;
  readonly tls_cert_file: string | null;
  readonly tls_key_file: string | null;
}

/** A node's api_secret rotation; both null when none is going on. */
export interface SecretRotation {
  /** A new secret was issued and the worker has not confirmed it yet (it gets it with its next heartbeat). */
  readonly pendingSince: string | null;
  /** The old secret is still accepted until then (the grace period). */
  readonly previousValidUntil: string | null;
}

export interface ClusterNode {
  readonly id: number;
  readonly name: string;
  readonly online: boolean;
  readonly hiddenPath: string | null;
  readonly settings: NodeSettings;
  readonly workerUrl: string | null;
  readonly coreFlavour: string | null;
  readonly coreVersion: string | null;
  readonly coreStatus: string | null;
  readonly configVersion: string | null;
  readonly createdAt: string;
  readonly registeredAt: string | null;
  readonly lastHeartbeatAt: string | null;
  readonly stats: Readonly<Record<string, number>> | null;
  readonly traffic: Traffic;
  /** Calls to the worker accept only the certificate it registered with. */
  readonly tlsPinned: boolean;
  /** When a call last met another certificate (refused; no calls until it registers again). */
  readonly tlsMismatchAt: string | null;
  readonly secretRotation: SecretRotation;
}

/** POST /nodes/:id/rotate-secret; the new secret itself is never answered. */
export interface SecretRotationResult {
  /** True: the worker got the new secret at once; false: it gets it with its next heartbeat. */
  readonly delivered: boolean;
  readonly pendingSince: string | null;
  readonly previousValidUntil: string | null;
  readonly message: string;
}

export interface RegistrationToken {
  readonly token: string;
  readonly expiresAt: string;
  readonly workerCommand: string;
}

export interface NodeConfig {
  readonly config: string;
  readonly configVersion: string;
  readonly appliedVersion: string | null;
}

export interface Summary {
  readonly nodes: { readonly total: number; readonly online: number; readonly offline: number };
  readonly cores: Readonly<Record<string, number>>;
  readonly users: { readonly total: number; readonly enabled: number };
  readonly traffic: Traffic;
}

export type TrafficRange = 'hour' | 'day' | 'month';

export interface TrafficPoint {
  readonly at: string;
  readonly up: string;
  readonly down: string;
}

export interface TrafficHistory {
  readonly range: TrafficRange;
  readonly bucketSeconds: number;
  readonly from: string;
  readonly to: string;
  readonly total: { readonly points: readonly TrafficPoint[] };
  readonly nodes: readonly {
    readonly nodeId: number;
    readonly name: string;
    readonly points: readonly TrafficPoint[];
  }[];
}

export interface ProxyUser {
  readonly id: string | null;
  readonly email: string;
  readonly enabled: boolean;
  readonly createdAt: string;
  readonly traffic: Traffic;
}

export interface UserTraffic {
  readonly total: Traffic;
  readonly nodes: readonly (Traffic & { readonly nodeId: number })[];
}

export interface ShareLink {
  readonly nodeId: number;
  readonly nodeName: string;
  readonly transport: 'tcp' | 'ws' | 'xhttp';
  readonly uri: string;
}

export interface AccessKey {
  readonly accessKey: string;
  readonly algorithm: string;
  readonly scope: 'read-only' | 'read-write';
  readonly owner: string;
  readonly description: string;
  readonly enabled: boolean;
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
  readonly useCount: number;
  readonly rotatedAt: string | null;
}

export interface IssuedKey extends AccessKey {
  readonly secretKey: string;
}

export interface Algorithm {
  readonly name: string;
  readonly level: number;
  readonly allowed: boolean;
}

export type AuditResult = 'ok' | 'denied' | 'failed';

export interface AuditEvent {
  readonly id: number;
  readonly at: string;
  readonly actorKind: string;
  readonly actor: string;
  readonly action: string;
  readonly target: string | null;
  readonly source: string | null;
  readonly result: AuditResult;
  readonly status: number | null;
  readonly detail: string | null;
}

export interface AuditPage {
  readonly events: readonly AuditEvent[];
  readonly nextBefore: number | null;
}

export interface SignerStatus {
  readonly status: string;
  readonly uptime: string;
  readonly config: {
    readonly path: string;
    readonly lastLoaded: string | null;
    readonly isWatching: boolean;
    readonly lastError: string | null;
  };
  readonly accounts: { readonly total: number; readonly byPlatform: Readonly<Record<string, number>> };
  readonly performance: {
    readonly avgSigningTime: string;
    readonly p99: string;
    readonly totalSigns: number;
    readonly errorRate: number;
  };
}

export interface SignerAccount {
  readonly accountId: string;
  readonly platformId: string;
  readonly alias?: string | null;
  readonly status: string;
  readonly environment?: string | null;
  readonly usage?: {
    readonly totalSigns: number;
    readonly lastSignAt: string | null;
    readonly errorCount: number;
  };
}

export interface SignerView {
  readonly configured: boolean;
  readonly url: string | null;
  readonly reachable: boolean;
  readonly error: string | null;
  readonly status: SignerStatus | null;
  readonly accounts: readonly SignerAccount[] | null;
}

export interface SignerReload {
  readonly reloadedAt: string;
  readonly changes: { readonly added: number; readonly updated: number; readonly removed: number };
  readonly accountCount: number;
  readonly platformCount: number;
  readonly warnings: readonly string[];
}
