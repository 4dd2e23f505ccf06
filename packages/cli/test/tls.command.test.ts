// HTTPS on the service commands: `signet master`, `signet signer` and `signet worker` serve TLS from
// --tls-cert/--tls-key (a real handshake against the certificate openssl made), refuse plain HTTP on
// a non-loopback address unless --insecure-http, and refuse a lone --tls-cert.
import { mkdtempSync, statSync } from 'node:fs';
import { request } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateFernetKey } from '@signet/auth';
import { makeCertificate } from '../../server/test/support/certificates.js';
import { createFixture } from '../../signer/test/support/fixture.js';
import { runSignet, type Service, startService } from '../../master/test/support/process.js';

const env = { ENCRYPTION_KEY: generateFernetKey(), DATABASE_URL: undefined, REDIS_URL: undefined };
const services: Service[] = [];
afterAll(async () => {
  await Promise.all(services.map((s) => s.stop()));
});

/** GET over HTTPS trusting only `ca`; the status and the presented certificate's fingerprint. */
function httpsGet(url: string, ca: string): Promise<{ status: number; fingerprint: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca }, (res) => {
      const fingerprint = (res.socket as TLSSocket).getPeerCertificate().fingerprint256;
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, fingerprint }));
    });
    req.once('error', reject);
    req.end();
  });
}

describe('TLS on the service commands', () => {
  it('signet master serves HTTPS with the given certificate, verified by a client that trusts only it', async () => {
    const cert = makeCertificate('master');
    const data = mkdtempSync(join(tmpdir(), 'signet-tls-master-'));
    const master = await startService(
      ['master', '--port', '0', '--data', data, '--tls-cert', cert.certPath, '--tls-key', cert.keyPath],
      env,
      /listening on (https:\/\/\S+)/,
    );
    services.push(master);
    const answer = await httpsGet(`${master.url}/v1/public/health`, cert.cert);
    expect(answer).toEqual({ status: 200, fingerprint: cert.fingerprint256 });
    await expect(fetch(master.url.replace('https:', 'http:') + '/v1/public/health')).rejects.toThrow();
  });

  it('signet signer serves HTTPS too', async () => {
    const cert = makeCertificate('signer');
    const fixture = createFixture();
    const signer = await startService(
      [
        'signer',
        '--port',
        '0',
        '--data',
        fixture.dataDir,
        '--credentials',
        fixture.credentials,
        '--tls-cert',
        cert.certPath,
        '--tls-key',
        cert.keyPath,
      ],
      { ...env, ENCRYPTION_KEY: fixture.encryptionKey },
      /listening on (https:\/\/\S+)/,
    );
    services.push(signer);
    expect(await httpsGet(`${signer.url}/health`, cert.cert)).toEqual({
      status: 200,
      fingerprint: cert.fingerprint256,
    });
  });

  it.each(['master', 'signer'])(
    'signet %s refuses plain HTTP on a non-loopback address without --insecure-http, and a lone --tls-cert',
    (command) => {
      const data = mkdtempSync(join(tmpdir(), 'signet-tls-refused-'));
      const withKey = { ...env, API_SECRET_KEY: 'some-key' };
      const plain = runSignet([command, '--host', '0.0.0.0', '--port', '0', '--data', data], withKey);
      expect(plain.status).toBe(2);
      expect(plain.stderr).toContain('listening on 0.0.0.0 needs HTTPS: pass --tls-cert FILE --tls-key FILE');
      const lone = runSignet([command, '--port', '0', '--data', data, '--tls-cert', 'x.crt'], withKey);
      expect(lone.status).toBe(2);
      expect(lone.stderr).toContain('--tls-cert and --tls-key go together');
    },
  );

  it('signet worker off loopback without --tls-cert serves its own self-signed certificate instead, and refuses contradictory flags', () => {
    const data = mkdtempSync(join(tmpdir(), 'signet-tls-worker-'));
    const worker = (...args: string[]) =>
      runSignet(['worker', '--master', 'http://127.0.0.1:1', '--port', '0', '--data', data, ...args], env);
    // Not refused for plain HTTP: it makes its certificate, then stops for want of a --token.
    const offLoopback = worker('--host', '0.0.0.0', '--core', '/usr/bin/v2ray');
    expect(offLoopback.status).toBe(1);
    expect(offLoopback.stderr).not.toContain('needs HTTPS');
    expect(offLoopback.stderr).toContain('made a self-signed TLS certificate');
    expect(offLoopback.stderr).toContain('this node is not registered yet');
    expect(statSync(join(data, 'worker-tls.crt')).mode & 0o777).toBe(0o600);
    const refused: [string[], string][] = [
      [['--tls-cert', 'x.crt'], '--tls-cert and --tls-key go together'],
      [['--tls-self-signed', '--insecure-http'], '--tls-self-signed and --insecure-http exclude each other'],
      [['--tls-self-signed', '--tls-cert', 'x.crt', '--tls-key', 'x.key'], 'exclude each other'],
      [['--tls-self-signed', '--advertise', 'http://127.0.0.1:9090'], '--advertise must be an https:// URL'],
      [
        ['--advertise', 'https://127.0.0.1:9090'],
        '--advertise must be an http:// URL: this worker serves plain HTTP',
      ],
      [['--master-fingerprint', 'not-hex'], '--master-fingerprint must be a SHA-256 certificate fingerprint'],
      [['--master-fingerprint', 'ab'.repeat(32)], '--master-fingerprint needs an https:// --master URL'],
    ];
    for (const [args, message] of refused) {
      const run = worker(...args);
      expect(run.status, args.join(' ')).toBe(2);
      expect(run.stderr).toContain(message);
    }
  });
});
