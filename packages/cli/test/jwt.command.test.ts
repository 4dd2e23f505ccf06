// `signet jwt rotate` adds a signing key; the key it replaces still verifies, older ones are
// retired; every rotation is in the audit log as the operator's.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateFernetKey } from '@signet/auth';
import { listAudit, openDatabase } from '@signet/master';
import { runCli } from './run-cli.js';

const KEY = generateFernetKey();
const data = mkdtempSync(join(tmpdir(), 'signet-cli-jwt-'));
const rotate = () => {
  const run = runCli(['jwt', 'rotate', '--data', data, '--json'], {
    env: { ENCRYPTION_KEY: KEY, DATABASE_URL: undefined },
  });
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as { kid: string; verifying: string[] };
};

describe('signet jwt rotate', () => {
  it('adds a key, keeps the one it replaces verifying and retires the older ones', async () => {
    const first = rotate();
    expect(first.verifying).toEqual([first.kid]);
    const second = rotate();
    expect(second.verifying).toEqual([second.kid, first.kid]);
    const third = rotate();
    expect(third.verifying).toEqual([third.kid, second.kid]);
    expect(new Set([first.kid, second.kid, third.kid]).size).toBe(3);

    const text = runCli(['jwt', 'rotate', '--data', data], {
      env: { ENCRYPTION_KEY: KEY, DATABASE_URL: undefined },
    });
    expect(text.stdout).toMatch(
      new RegExp(`^new signing key \\S+; tokens signed by ${third.kid} still verify\\n$`),
    );

    const db = await openDatabase({ dataDir: data });
    try {
      const { events } = await listAudit(db, { action: 'jwt.rotate' });
      expect(events.map((e) => [e.target, e.result, e.source, e.actorKind])).toHaveLength(4);
      expect(events[1]).toMatchObject({
        target: `kid=${third.kid}`,
        result: 'ok',
        source: 'cli',
        actorKind: 'operator',
      });
    } finally {
      await db.destroy();
    }
  });
});
