import type { AccessKeyRecord, AuditEvent, NodeRecord, ProxyUser, TrafficTotal } from '../store/index.js';

// Store records as the API shows them: dates as ISO text, byte counters as decimal strings.

const iso = (date: Date | null): string | null => (date === null ? null : date.toISOString());

export interface Traffic {
  readonly up: string;
  readonly down: string;
}

/** The sum of some traffic totals. */
export function sumTraffic(totals: readonly TrafficTotal[]): Traffic {
  let up = 0n;
  let down = 0n;
  for (const total of totals) {
    up += total.up;
    down += total.down;
  }
  return { up: up.toString(), down: down.toString() };
}

/**
 * What a read-only caller may not see: a user's VLESS id is the user's credential, a node's hidden
 * path the secret of its HTTP transport. Shown only to callers that may write.
 */
export interface Visibility {
  readonly credentials: boolean;
}

export function nodeView(node: NodeRecord, traffic: Traffic, visibility: Visibility) {
  const stats = node.lastStats;
  return {
    id: node.id,
    name: node.name,
    online: node.online,
    hiddenPath: visibility.credentials ? node.hiddenPath : null,
    settings: node.settings,
    workerUrl: node.workerUrl,
    coreFlavour: node.coreFlavour,
    coreVersion: node.coreVersion,
    coreStatus: node.coreStatus,
    configVersion: node.configVersion,
    // Whether calls to the worker accept only the certificate it registered with, and when one
    // last met another certificate (refused; cleared when the node registers again).
    tlsPinned: node.tlsFingerprint !== null,
    tlsMismatchAt: iso(node.tlsMismatchAt),
    // A rotation of its api_secret: waiting for the worker since, and the old one accepted until.
    secretRotation: {
      pendingSince: iso(node.secretRotation.pendingSince),
      previousValidUntil: iso(node.secretRotation.previousValidUntil),
    },
    createdAt: node.createdAt.toISOString(),
    registeredAt: iso(node.registeredAt),
    lastHeartbeatAt: iso(node.lastHeartbeatAt),
    stats: typeof stats === 'object' && stats !== null && !Array.isArray(stats) ? stats : null,
    traffic,
  };
}

export function userView(user: ProxyUser, traffic: Traffic, visibility: Visibility) {
  return {
    id: visibility.credentials ? user.id : null,
    email: user.email,
    enabled: user.enabled,
    createdAt: user.createdAt.toISOString(),
    traffic,
  };
}

export function keyView(key: AccessKeyRecord) {
  return {
    accessKey: key.accessKey,
    algorithm: key.algorithm,
    scope: key.scope,
    owner: key.owner,
    description: key.description,
    enabled: key.enabled,
    createdAt: key.createdAt.toISOString(),
    lastUsedAt: iso(key.lastUsedAt),
    useCount: key.useCount,
    rotatedAt: iso(key.rotatedAt),
  };
}

export function auditView(event: AuditEvent) {
  return { ...event, at: event.at.toISOString() };
}
