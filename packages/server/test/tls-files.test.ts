// Serving HTTPS from PEM files: bad files are refused at start with a message naming them (never
// their contents), and a renewed certificate is served to new connections without a restart, while
// a half-written renewal leaves the previous pair in service.
import { copyFileSync, renameSync, writeFileSync } from 'node:fs';
import { connect } from 'node:tls';
import { join } from 'node:path';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { httpsOption, loadTlsFiles, reloadTlsOnChange, TlsFilesInvalidError } from '../src/index.js';
import { makeCertificate } from './support/certificates.js';

/** The SHA-256 fingerprint of the certificate a TLS server at port presents. */
function presented(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => {
      resolve(socket.getPeerCertificate().fingerprint256);
      socket.end();
    });
    socket.once('error', reject);
  });
}

async function until(check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

describe('TLS files', () => {
  it('refuses unreadable files, non-PEM text and a key that is not the certificate’s, naming only the files', () => {
    const a = makeCertificate('a');
    const b = makeCertificate('b');
    const missing = join(a.certPath, '..', 'missing.crt');
    expect(() => loadTlsFiles({ certPath: missing, keyPath: a.keyPath })).toThrow(
      `cannot read the TLS files ${missing} and ${a.keyPath} (ENOENT)`,
    );
    expect(() => loadTlsFiles({ certPath: a.certPath, keyPath: b.keyPath })).toThrow(TlsFilesInvalidError);
    const garbage = join(a.certPath, '..', 'garbage.crt');
    writeFileSync(garbage, 'not a certificate');
    let message = '';
    try {
      loadTlsFiles({ certPath: garbage, keyPath: a.keyPath });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(new RegExp(`^the TLS files ${garbage} and ${a.keyPath} cannot be used: `));
    const keyText = loadTlsFiles(a).key.toString();
    expect(message).not.toContain(keyText.split('\n')[1]);
  });

  it('serves a renewed certificate to new connections without a restart; a half-done renewal changes nothing', async () => {
    const first = makeCertificate('first');
    const lines: string[] = [];
    const app = Fastify({ logger: false, ...httpsOption(first) });
    app.get('/', async () => 'ok');
    reloadTlsOnChange(app, first, { intervalMs: 100, log: (line) => lines.push(line) });
    await app.listen({ host: '127.0.0.1', port: 0 });
    closers.push(() => app.close());
    const port = (app.server.address() as { port: number }).port;
    expect(await presented(port)).toBe(first.fingerprint256);

    // A renewal as certbot does it: new files renamed over the old ones, certificate first.
    const renewed = makeCertificate('renewed');
    copyFileSync(renewed.certPath, `${first.certPath}.new`);
    renameSync(`${first.certPath}.new`, first.certPath);
    await until(async () => lines.some((l) => l.startsWith('TLS certificate not reloaded')));
    expect(await presented(port)).toBe(first.fingerprint256); // old pair still served
    copyFileSync(renewed.keyPath, `${first.keyPath}.new`);
    renameSync(`${first.keyPath}.new`, first.keyPath);
    await until(async () => (await presented(port)) === renewed.fingerprint256);
    expect(lines.at(-1)).toBe(`TLS certificate reloaded from ${first.certPath}`);
  });
});
