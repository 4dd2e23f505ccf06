// Two stores in one PostgreSQL database, each in its own schema: each finds its own migrations.
// (Kysely looks for its migration table in every schema unless told which one.)
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { listNodes, openDatabase } from '../src/store/index.js';
import { databaseUrlForTests } from './support/store.js';

const url = databaseUrlForTests();

async function withClient(fn: (client: pg.Client) => Promise<unknown>) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await fn(client);
  } finally {
    await client.end();
  }
}

describe.runIf(url !== undefined)('stores in two schemas of one PostgreSQL database', () => {
  it('a store opened through the search_path is migrated even when another schema has a store', async () => {
    const first = `signet_first_${randomBytes(4).toString('hex')}`;
    const second = `signet_second_${randomBytes(4).toString('hex')}`;
    await withClient((c) => c.query(`create schema ${first}; create schema ${second}`));
    try {
      const a = await openDatabase({ dataDir: '/nonexistent', databaseUrl: url!, schema: first });
      await a.destroy();
      // The second store names no schema: only its connection's search_path says where it lives.
      const viaPath = new URL(url!);
      viaPath.searchParams.set('options', `-c search_path=${second}`);
      const b = await openDatabase({ dataDir: '/nonexistent', databaseUrl: viaPath.toString() });
      try {
        expect(await listNodes(b)).toEqual([]);
      } finally {
        await b.destroy();
      }
    } finally {
      await withClient((c) => c.query(`drop schema ${first} cascade; drop schema ${second} cascade`));
    }
  });
});
