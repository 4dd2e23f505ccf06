// Re-encrypting the store under a new ENCRYPTION_KEY, on SQLite and PostgreSQL: every node secret,
// access key secret and JWT signing key ends up under the newest key with its plaintext unchanged;
// what a partial run already did is skipped, and a run after the old key is gone still reads all.
import { Fernet, generateFernetKey } from '@signet/auth';
import { describe, expect, it } from 'vitest';
import {
  createAccessKey,
  createNode,
  getApiSecret,
  loadJwtKeys,
  reEncryptStore,
  resolveAccessKey,
} from '../src/store/index.js';
import { storeKinds, useTestStore } from './support/store.js';

describe.each(storeKinds())('store re-encryption (%s)', (kind) => {
  const store = useTestStore(kind);

  it('moves every secret under the newest key, resumably', async () => {
    const oldKey = generateFernetKey();
    const old = new Fernet(oldKey);
    const { nodeId } = await createNode(store.db, old, 'edge-1');
    await createNode(store.db, old, 'edge-2');
    const { record, secretKey } = await createAccessKey(store.db, old, {
      algorithm: 'L3.SHA256',
      scope: 'read-only',
      ownerAdminId: null,
    });
    await loadJwtKeys(store.db, old); // creates the first signing key
    const nodeSecret = await getApiSecret(store.db, old, nodeId);

    const newest = generateFernetKey();
    const both = new Fernet([newest, oldKey]);
    // A run interrupted after the first node: that one is under the new key already.
    const first = await store.db
      .selectFrom('nodes')
      .select(['id', 'api_secret'])
      .where('id', '=', nodeId)
      .executeTakeFirstOrThrow();
    await store.db
      .updateTable('nodes')
      .set({ api_secret: both.rotate(first.api_secret)! })
      .where('id', '=', nodeId)
      .execute();

    expect(await reEncryptStore(store.db, both)).toEqual({
      nodeSecrets: 1,
      accessKeys: 1,
      jwtKeys: 1,
      current: 1,
    });
    expect(await reEncryptStore(store.db, both)).toEqual({
      nodeSecrets: 0,
      accessKeys: 0,
      jwtKeys: 0,
      current: 4,
    });

    const onlyNew = new Fernet(newest);
    expect(await getApiSecret(store.db, onlyNew, nodeId)).toBe(nodeSecret);
    expect((await resolveAccessKey(store.db, onlyNew, record.accessKey))?.secretKey).toBe(secretKey);
    await expect(loadJwtKeys(store.db, onlyNew)).resolves.toBeDefined();
    await expect(getApiSecret(store.db, old, nodeId)).rejects.toThrow();
  });
});
