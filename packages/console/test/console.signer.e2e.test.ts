// The console's Signer page against a real `signet signer` holding real (test) credentials, in
// Debian's Chromium: the master calls the signer with seed 002's signature (the signer requires
// it here), and the page shows the service's status, its accounts with their usage, and the result
// of a credentials reload.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { generateFernetKey, signDataTs } from '@signet/auth';
import { startService, type Service } from '../../master/test/support/process.js';
import { freePort, tempDir } from '../../worker/test/support/core-fixtures.js';
import { chromiumForTests, launchChromium, screenshot } from './support/chromium.js';
import { ADMIN, signet, startConsoleMaster, type ConsoleMaster } from './support/console-master.js';
import { cellOf, signIn, waitForText } from './support/page.js';

const RUN = chromiumForTests();
const API_SECRET_KEY = 'console-signer-shared-secret';
let signerDir: ReturnType<typeof tempDir>; // made in beforeAll: a skipped run leaves nothing behind
const signerEnv = {
  ENCRYPTION_KEY: generateFernetKey(),
  API_SECRET_KEY,
  DATABASE_URL: undefined,
  REDIS_URL: undefined,
};
let signer: Service;
let master: ConsoleMaster;
let browser: Browser;
let page: Page;

const addAccount = (args: readonly string[]) =>
  signet(['signer', 'credentials', 'add', '--data', signerDir.path, ...args], signerEnv);

beforeAll(async () => {
  if (!RUN) return;
  signerDir = tempDir('console-signer');
  // The signer's port is chosen first, so the master, the signer and the browser start together.
  const signerPort = await freePort();
  const startSigner = async () => {
    await addAccount([
      '--platform',
      'okx',
      '--account',
      'okx-perp-001',
      '--alias',
      'perp',
      '--secret',
      'apiKey=test-okx-key',
      '--secret',
      'apiSecret=test-okx-secret',
      '--secret',
      'passphrase=test-okx-passphrase',
    ]);
    await addAccount([
      '--platform',
      'binance',
      '--account',
      'bn-spot-001',
      '--environment',
      'testnet',
      '--secret',
      'apiKey=test-binance-key',
      '--secret',
      'apiSecret=test-binance-secret',
    ]);
    // --require-auth: the signer refuses unsigned calls even on loopback, so what the console
    // shows proves the master signed its calls.
    return startService(
      ['signer', '--port', String(signerPort), '--data', signerDir.path, '--require-auth'],
      signerEnv,
    );
  };
  [signer, master, browser] = await Promise.all([
    startSigner(),
    startConsoleMaster({
      args: ['--signer-url', `http://127.0.0.1:${signerPort}`],
      env: { API_SECRET_KEY },
    }),
    launchChromium(),
  ]);
  page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await master?.stop();
  await signer?.stop();
  signerDir?.remove();
});

describe.skipIf(!RUN)('the Signer page with a real signing service', () => {
  it('shows the service status and every account with platform, status and usage', async () => {
    const unsigned = await fetch(`${signer.url}/api/v1/accounts`);
    expect(unsigned.status).toBe(401); // so what the page shows came through the master's signed calls
    // One signature by okx-perp-001, so its usage is not all zeros.
    const body = JSON.stringify({
      platformId: 'okx',
      accountId: 'okx-perp-001',
      data: { method: 'GET', path: '/api/v5/account/balance' },
    });
    const signed = await fetch(`${signer.url}/api/v1/sign`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...signDataTs({ secret: API_SECRET_KEY, data: body }).headers,
      },
      body,
    });
    expect(signed.status, await signed.clone().text()).toBe(200);
    await signIn(page, master.url, ADMIN);
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Signer', exact: true })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Signer', exact: true }).waitFor();
    const accounts = page.getByRole('table', { name: 'Signer accounts' });
    await waitForText(accounts, /okx-perp-001/);
    expect(await page.getByText('No signer is configured').count()).toBe(0);
    await waitForText(await cellOf(accounts, 'okx-perp-001', 'Platform'), /^okx$/);
    await waitForText(await cellOf(accounts, 'okx-perp-001', 'Alias'), /^perp$/);
    await waitForText(await cellOf(accounts, 'okx-perp-001', 'Status'), /^active$/);
    await waitForText(await cellOf(accounts, 'okx-perp-001', 'Signs'), /^1$/);
    await waitForText(await cellOf(accounts, 'okx-perp-001', 'Errors'), /^0$/);
    await waitForText(await cellOf(accounts, 'bn-spot-001', 'Signs'), /^0$/);
    await waitForText(await cellOf(accounts, 'bn-spot-001', 'Platform'), /^binance$/);
    await waitForText(page.locator('main'), /\bhealthy\b/i);
    await screenshot(page, 'signer-accounts');
  });

  it('reloads the credentials and shows what changed', async () => {
    await addAccount([
      '--platform',
      'okx',
      '--account',
      'okx-hedge-002',
      '--secret',
      'apiKey=k2',
      '--secret',
      'apiSecret=s2',
      '--secret',
      'passphrase=p2',
    ]);
    await page.getByRole('button', { name: 'Reload credentials' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /added/i })
      .filter({ hasText: /removed/i })
      .first()
      .waitFor({ timeout: 10_000 });
    await waitForText(page.getByRole('table', { name: 'Signer accounts' }), /okx-hedge-002/, {
      reload: page,
    });
  });
});
