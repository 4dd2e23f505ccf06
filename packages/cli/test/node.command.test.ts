// `signet node add|token --json` print the worker line too; `signet node rotate-secret` refuses a bad
// --grace or an unknown node as usage (exit 2) and a node that cannot be rotated yet as a failure
// (exit 1) with the store's reason, each recorded in the audit log. (Rotating a live node is
// tested with real processes in packages/worker/test/cluster.secret-rotation.e2e.test.ts.)
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateFernetKey } from '@signet/auth';
import { listAudit, openDatabase } from '@signet/master';
import { runCli } from './run-cli.js';

const KEY = generateFernetKey();
const data = mkdtempSync(join(tmpdir(), 'signet-cli-node-'));
const signet = (args: readonly string[]) =>
  runCli([...args, '--data', data], { env: { ENCRYPTION_KEY: KEY, DATABASE_URL: undefined } });

describe('signet node', () => {
  it('add --json prints the node id, the token, its expiry and the line to run on the node', () => {
    const added = signet(['node', 'add', 'osaka-1', '--master', 'http://10.0.0.1:8080', '--json']);
    expect(added.status, added.stderr).toBe(0);
    const printed = JSON.parse(added.stdout) as Record<string, unknown>;
    expect(Object.keys(printed)).toEqual(['nodeId', 'token', 'expiresAt', 'workerCommand']);
    expect(printed.workerCommand).toBe(
      `signet worker --master http://10.0.0.1:8080 --token ${String(printed.token)}`,
    );
  });

  it('token --json prints a new token with the line to run on the node', () => {
    const issued = signet(['node', 'token', 'osaka-1', '--master', 'http://10.0.0.1:8080', '--json']);
    expect(issued.status, issued.stderr).toBe(0);
    const printed = JSON.parse(issued.stdout) as Record<string, unknown>;
    expect(Object.keys(printed)).toEqual(['nodeId', 'token', 'expiresAt', 'workerCommand']);
    expect(printed.workerCommand).toBe(
      `signet worker --master http://10.0.0.1:8080 --token ${String(printed.token)}`,
    );
    const plain = signet(['node', 'token', 'osaka-1']);
    expect(plain.stdout).toMatch(/^[A-Za-z0-9_-]{20,}\n$/);
  });

  it('rotate-secret refuses a bad --grace, an unknown node and an unregistered one, saying why', async () => {
    for (const grace of ['0', '9', '-5', 'abc', '10w', '8d', '604801']) {
      const refused = signet(['node', 'rotate-secret', 'osaka-1', '--grace', grace]);
      expect(refused.status, grace).toBe(2);
      expect(refused.stderr).toContain(
        `--grace: expected seconds (or a number with s, m, h or d) from 10 s to 604800 s, got ${grace}`,
      );
    }
    const unknown = signet(['node', 'rotate-secret', 'nowhere']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('signet: no node named nowhere\n');
    const unregistered = signet(['node', 'rotate-secret', 'osaka-1', '--grace', '10m']);
    expect(unregistered.status).toBe(1);
    expect(unregistered.stderr).toContain(
      'signet: the node has not registered yet: its worker has no secret to rotate (NODE_SECRET_ROTATION_CONFLICT)\n',
    );
    const db = await openDatabase({ dataDir: data });
    try {
      const { events } = await listAudit(db, { action: 'nodes.rotateSecret' });
      expect(events.map((e) => [e.target, e.result, e.source])).toStrictEqual([
        ['name=osaka-1', 'failed', 'cli'],
        ['name=nowhere', 'failed', 'cli'],
      ]);
    } finally {
      await db.destroy();
    }
  });
});
