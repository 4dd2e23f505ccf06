// SigningService on its own: a failure inside a platform becomes SIGNATURE_FAILED, never the
// platform's own message, and every attempt is measured and audited.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Fernet, generateFernetKey } from '@signet/auth';
import { AuditLog } from '../src/audit/audit-log.js';
import { AccountRegistry } from '../src/credentials/registry.js';
import { createSignerMetrics } from '../src/metrics.js';
import { SigningService } from '../src/signing-service.js';
import { UsageStore } from '../src/usage/usage-store.js';

describe('SigningService', () => {
  it('turns an unexpected platform failure into SIGNATURE_FAILED without its message', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'signet-service-'));
    const registry = new AccountRegistry(join(dir, 'none.json'), new Fernet(generateFernetKey()));
    const leaky = {
      platformId: 'okx',
      accountId: 'a',
      alias: 'a',
      status: 'active' as const,
      environment: 'production',
      createdAt: null,
      fingerprint: 'f',
      key: {
        algorithm: 'hmac-sha256',
        publicKey: null,
        sign: () => {
          throw new Error('internal detail with key material 0xdeadbeef');
        },
      },
    };
    Object.defineProperty(registry, 'accounts', { get: () => new Map([['okx/a', leaky]]) });
    const usage = new UsageStore(join(dir, 'usage.json'));
    const audit = new AuditLog(join(dir, 'audit.jsonl'));
    const service = new SigningService(registry, usage, audit, createSignerMetrics());

    const error = (() => {
      try {
        service.sign({ platformId: 'okx', accountId: 'a', data: {} }, 'test');
      } catch (e) {
        return e as Error & { code: string };
      }
    })();
    expect(error?.code).toBe('SIGNATURE_FAILED');
    expect(error?.message).not.toContain('deadbeef');
    expect(usage.usage('okx/a')).toMatchObject({ totalSigns: 0, errorCount: 1 });
    await audit.close();
    usage.close();
    expect(readFileSync(join(dir, 'audit.jsonl'), 'utf8')).toContain('"result":"SIGNATURE_FAILED"');
  });
});
