// `signet node add|token` and `signet user add|remove` are recorded in the audit log as the operator,
// under the same action names as the API's, failures included.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateFernetKey } from '@signet/auth';
import { listAudit, openDatabase } from '@signet/master';
import { runCli } from './run-cli.js';

const KEY = generateFernetKey();
const data = mkdtempSync(join(tmpdir(), 'signet-cli-audit-'));
const signet = (args: readonly string[]) =>
  runCli([...args, '--data', data], { env: { ENCRYPTION_KEY: KEY, DATABASE_URL: undefined } });

describe('node and user commands in the audit log', () => {
  it('records each change, and a refused one as failed', async () => {
    expect(signet(['node', 'add', 'tokyo-1', '--json']).status).toBe(0);
    expect(signet(['node', 'token', 'tokyo-1', '--json']).status).toBe(0);
    expect(signet(['node', 'token', 'nowhere']).status).not.toBe(0);
    expect(signet(['user', 'add', 'erin@example.com']).status).toBe(0);
    expect(signet(['user', 'remove', 'erin@example.com']).status).toBe(0);
    const db = await openDatabase({ dataDir: data });
    try {
      const { events } = await listAudit(db, { actorKind: 'operator' });
      expect(events.map((e) => [e.action, e.target, e.result, e.source])).toStrictEqual([
        ['users.delete', 'email=erin@example.com', 'ok', 'cli'],
        ['users.create', 'email=erin@example.com', 'ok', 'cli'],
        ['nodes.token', 'name=nowhere', 'failed', 'cli'],
        ['nodes.token', 'name=tokyo-1', 'ok', 'cli'],
        ['nodes.create', 'name=tokyo-1', 'ok', 'cli'],
      ]);
    } finally {
      await db.destroy();
    }
  });
});
