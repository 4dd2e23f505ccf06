// An operator's day in the console, in Debian's Chromium driven by Playwright, against real parts:
// `signet master` serving the console, `signet worker` started with the command line the console
// printed and driving the real v2ray core, a second v2ray as the user's VLESS client, a local HTTP
// server as the destination, and seed 003's own script calling the OpenAPI with a key made in the
// console. Each step is a test of its own, in order; once one fails, the later ones say which.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Locator, Page, Request } from 'playwright-core';
import { startService, type Service } from '../../master/test/support/process.js';
import { seedTemAuthorization, sendWith, type CreatedKey } from '../../master/test/support/api-clients.js';
import {
  clientConfig,
  countingHttpServer,
  eventually,
  freePort,
  killLeftoverCore,
  ProcessPool,
  socksExchange,
  tempDir,
  V2RAY,
} from '../../worker/test/support/core-fixtures.js';
import { chromiumForTests, clearFailureScreenshots, launchChromium, screenshot } from './support/chromium.js';
import { ADMIN, startConsoleMaster, type ConsoleMaster } from './support/console-master.js';
import { bytesShown, cellOf, overflowsHorizontally, signIn, waitForText } from './support/page.js';

const RUN = chromiumForTests();
const NODE = 'e2e-node';
const EMAIL = 'alice@example.com';
const SERVED = 100_000;

const pool = new ProcessPool();
// Made in beforeAll: a skipped run leaves nothing behind.
let workerData: ReturnType<typeof tempDir>;
let clientDir: ReturnType<typeof tempDir>;
let master: ConsoleMaster;
let worker: Service | undefined;
let destination: Awaited<ReturnType<typeof countingHttpServer>>;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const ports = { vless: 0, ws: 0, worker: 0, coreApi: 0, socks: 0 };
let userId = '';
let key: CreatedKey;

const nav = (name: string) =>
  page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });
/** The page's background and its heading's colour, as the browser paints them. */
const COLOURS = `[document.documentElement, document.body, document.querySelector('main'), document.querySelector('h1')]
  .map((e) => { const s = getComputedStyle(e); return s.backgroundColor + ' ' + s.color; }).join(', ')`;
const heading = (name: string) => page.getByRole('heading', { level: 1, name, exact: true });
const dialog = () => page.getByRole('dialog');
/** A <select> by its accessible name (getByLabel would match its label's text, options included). */
const select = (name: string) => page.getByRole('combobox', { name, exact: true });

/** The value of a term in a description list (`<dt>term</dt><dd>value</dd>`) inside `scope`. */
const fact = (scope: Locator, term: string) =>
  scope
    .locator('dl > div')
    .filter({ has: page.locator('dt', { hasText: new RegExp(`^${term}$`) }) })
    .locator('dd')
    .first();

/** Follows a link of the main navigation and waits for the page's heading. */
async function open(link: string): Promise<void> {
  await nav(link).click();
  await heading(link).waitFor({ timeout: 10_000 });
}

let failed: string | undefined;
/** One step of the scenario: a test that runs only when every step before it passed. */
function step(name: string, run: () => Promise<void>, timeoutMs = 30_000): void {
  it(
    name,
    async () => {
      if (failed !== undefined) throw new Error(`not run: the step "${failed}" failed before it`);
      try {
        await run();
      } catch (error) {
        failed = name;
        await screenshot(page, `failed-${name.replace(/\W+/g, '-').slice(0, 60)}`).catch(() => undefined);
        throw error;
      }
    },
    timeoutMs,
  );
}

/** The OpenAPI call of the scenario, signed by seed 003's own script in a separate node process. */
async function summaryFromScript() {
  const url = `${master.url}/api/v1/cluster/summary`;
  return sendWith('GET', url, await seedTemAuthorization(key, 'GET', url));
}

beforeAll(async () => {
  if (!RUN) return;
  clearFailureScreenshots();
  workerData = tempDir('console-worker');
  clientDir = tempDir('console-client');
  [ports.vless, ports.ws, ports.worker, ports.coreApi, ports.socks] = await Promise.all([
    freePort(),
    freePort(),
    freePort(),
    freePort(),
    freePort(),
  ]);
  destination = await countingHttpServer(SERVED);
  [master, browser] = await Promise.all([startConsoleMaster(), launchChromium()]);
  context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
  page = await context.newPage();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await worker?.stop();
  if (workerData) killLeftoverCore(workerData.path);
  await pool.killAll();
  await master?.stop();
  await destination?.close();
  workerData?.remove();
  clientDir?.remove();
});

describe.skipIf(!RUN)('the console in a real browser, on a real cluster', () => {
  step('1. opens at the login page; a wrong password is refused in an alert', async () => {
    await page.goto(`${master.url}/`);
    await page.getByRole('heading', { name: 'Sign in to Signet' }).waitFor({ timeout: 15_000 });
    expect(new URL(page.url()).hash).toBe('#/login');
    await screenshot(page, 'login');
    await page.getByLabel('Name', { exact: true }).fill(ADMIN.name);
    await page.getByLabel('Password', { exact: true }).fill(`${ADMIN.password}!`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const alert = await waitForText(page.getByRole('alert'), /password/i);
    expect(alert).not.toContain(ADMIN.password);
    expect(await heading('Dashboard').count()).toBe(0);
  });

  step('2. signs in and shows the dashboard', async () => {
    await page.getByLabel('Password', { exact: true }).fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await heading('Dashboard').waitFor({ timeout: 10_000 });
    const nodes = page.getByRole('region', { name: 'Nodes' });
    await waitForText(nodes, /(^|\D)0 online\b/);
    await waitForText(nodes, /(^|\D)0 offline\b/);
    await page.locator('canvas[aria-label="Traffic chart"]').waitFor();
    expect(await page.getByRole('button', { name: 'Last hour' }).getAttribute('aria-pressed')).toBe('true');
    await page.getByRole('button', { name: 'Last day' }).click();
    await eventually(async () =>
      (await page.getByRole('button', { name: 'Last day' }).getAttribute('aria-pressed')) === 'true'
        ? true
        : undefined,
    );
    expect(await page.getByRole('button', { name: 'Last hour' }).getAttribute('aria-pressed')).toBe('false');
    await page.getByRole('button', { name: 'Last hour' }).click();
    await page.getByRole('table', { name: 'Traffic per node' }).waitFor();
    await page.getByRole('table', { name: 'Recent audit events' }).waitFor();
    for (const link of ['Dashboard', 'Nodes', 'Users', 'Access keys', 'Signer', 'Audit log']) {
      expect(await nav(link).count(), `navigation link ${link}`).toBe(1);
    }
  });

  let command = '';
  step('3. adds a node: the dialog shows its token and the exact worker command', async () => {
    await open('Nodes');
    await page.getByRole('button', { name: 'Add node' }).click();
    await dialog().getByLabel('Node name', { exact: true }).fill(NODE);
    await dialog().getByRole('button', { name: 'Create', exact: true }).click();
    const tokenField = dialog().getByLabel('Registration token');
    await tokenField.waitFor({ timeout: 10_000 });
    const token = await tokenField.inputValue();
    expect(token.length).toBeGreaterThan(16);
    expect(await tokenField.getAttribute('readonly')).not.toBeNull();
    const commandField = dialog().getByLabel('Worker command');
    expect(await commandField.getAttribute('readonly')).not.toBeNull();
    command = (await commandField.inputValue()).trim();
    expect(command).toBe(`signet worker --master ${master.url} --token ${token}`);
    await dialog().getByRole('button', { name: 'Copy command' }).waitFor();
    await screenshot(page, 'nodes-add');
    await dialog().getByRole('button', { name: 'Done' }).click();
    await dialog().waitFor({ state: 'hidden' });
    await waitForText(await cellOf(page.getByRole('table', { name: 'Nodes' }), NODE, 'Status'), /^offline$/);
  });

  step('4. sets the node’s ports on its detail page (the core must not take 443 here)', async () => {
    await page.getByRole('table', { name: 'Nodes' }).getByRole('link', { name: NODE }).click();
    await heading(NODE).waitFor({ timeout: 10_000 });
    const settings = page.getByRole('form', { name: 'Settings' });
    // A checkbox's name is its label, maybe followed by a hint: "VLESS VLESS over TCP on…".
    const checkbox = (label: string) =>
      settings.getByRole('checkbox', { name: new RegExp(`^${label}(\\s|$)`) });
    expect(await checkbox('VLESS').isChecked()).toBe(true);
    expect(await checkbox('XHTTP / WebSocket').isChecked()).toBe(false);
    expect(await checkbox('Hysteria2').isChecked()).toBe(false);
    await settings.getByLabel('Max users', { exact: true }).waitFor();
    await settings.getByLabel('VLESS port', { exact: true }).fill(String(ports.vless));
    await settings.getByLabel('HTTP transport port', { exact: true }).fill(String(ports.ws));
    await settings.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('status').filter({ hasText: /saved/i }).first().waitFor({ timeout: 10_000 });
    const config = page.getByLabel('Core configuration');
    await waitForText(config, new RegExp(`"port":\\s*${ports.vless}\\b`), { reload: page });
  });

  step(
    '5. the worker started with that command line registers, and the node shows online',
    async () => {
      const [program, ...args] = command.split(/\s+/);
      expect(program).toBe('signet');
      worker = await startService(
        [
          ...args,
          '--port',
          String(ports.worker),
          '--advertise',
          `http://127.0.0.1:${ports.worker}`,
          '--data',
          workerData.path,
          '--core',
          V2RAY,
          '--core-api-port',
          String(ports.coreApi),
          '--heartbeat-interval',
          '1',
          '--stats-interval',
          '1',
          '--allow-loopback-destinations', // the destination server is on loopback here
        ],
        master.env,
      );
      await open('Nodes');
      const nodes = page.getByRole('table', { name: 'Nodes' });
      await waitForText(await cellOf(nodes, NODE, 'Status'), /^online$/, { timeoutMs: 30_000, reload: page });
      await waitForText(await cellOf(nodes, NODE, 'Core'), /running/, { timeoutMs: 30_000, reload: page });
      const version = await waitForText(await cellOf(nodes, NODE, 'Version'), /^[0-9a-f]{6,}$/);
      await screenshot(page, 'nodes');
      await nodes.getByRole('link', { name: NODE }).click();
      await heading(NODE).waitFor();
      // The version the node runs is the one the master generated, and the page says it is applied.
      await waitForText(
        page.getByRole('region', { name: 'Configuration' }),
        new RegExp(`Version ${version}\\b`),
      );
      await waitForText(page.getByRole('region', { name: 'Configuration' }), /applied on the node/, {
        reload: page,
      });
      await page.getByRole('log', { name: 'Core log' }).waitFor();
      await page.getByRole('button', { name: 'Restart core' }).waitFor();
      // Destructive actions confirm first; Cancel leaves the node as it was.
      await page.getByRole('button', { name: 'Delete node' }).click();
      await dialog().getByRole('button', { name: 'Delete', exact: true }).waitFor();
      await dialog().getByRole('button', { name: 'Cancel' }).click();
      await dialog().waitFor({ state: 'hidden' });
      await screenshot(page, 'node-detail');
      await open('Dashboard');
      await waitForText(page.getByRole('region', { name: 'Nodes' }), /(^|\D)1 online\b/, { reload: page });
    },
    60_000,
  );

  step(
    '6. rotates the node’s secret on its detail page: delivered at once, the old one kept for the grace period, the node stays online',
    async () => {
      await open('Nodes');
      await page.getByRole('table', { name: 'Nodes' }).getByRole('link', { name: NODE }).click();
      await heading(NODE).waitFor({ timeout: 10_000 });
      const security = page.getByRole('region', { name: 'Security' });
      // This worker serves plain HTTP on loopback: nothing to pin, nothing mismatched, no rotation yet.
      await waitForText(fact(security, 'Worker certificate'), /^plain HTTP, no certificate$/);
      await waitForText(fact(security, 'Last certificate mismatch'), /^never$/);
      await waitForText(fact(security, 'Secret'), /^no rotation in progress$/);

      const rotations: string[] = [];
      const record = (request: Request) => {
        if (request.url().endsWith('/rotate-secret')) rotations.push(request.postData() ?? '');
      };
      page.on('request', record);
      await security.getByRole('button', { name: 'Rotate secret' }).click();
      await waitForText(dialog(), /both the old and the new secret are accepted/);
      const grace = dialog().getByLabel('Grace period (seconds)', { exact: true });
      expect(await grace.inputValue()).toBe('600');
      // Out of range: refused in the dialog with what is allowed, nothing sent.
      await grace.fill('0');
      await dialog().getByRole('button', { name: 'Rotate', exact: true }).click();
      await waitForText(dialog().getByRole('alert'), /whole number of seconds from 10 to 604800/);
      expect(rotations).toEqual([]);

      await grace.fill('60');
      await dialog().getByRole('button', { name: 'Rotate', exact: true }).click();
      await dialog().waitFor({ state: 'hidden', timeout: 15_000 });
      const rotatedAt = Date.now();
      page.off('request', record);
      expect(rotations.map((body) => JSON.parse(body) as unknown)).toEqual([{ graceSeconds: 60 }]);
      const notice = page.getByRole('status').filter({ hasText: /^Secret rotated/ });
      await waitForText(notice, /^Secret rotated and delivered: \S/);
      // Once the worker has confirmed it, nothing is pending; the old secret still works for 60 s.
      const secret = await waitForText(
        fact(security, 'Secret'),
        (text) => /^old secret accepted until \S/.test(text) && !/pending/.test(text),
        { what: 'saying the old secret is accepted until a time, nothing pending', reload: page },
      );
      const until = await fact(security, 'Secret').locator('time').last().getAttribute('datetime');
      expect(Date.parse(until ?? ''), secret).toBeGreaterThan(rotatedAt + 30_000);
      expect(Date.parse(until ?? ''), secret).toBeLessThanOrEqual(rotatedAt + 65_000);

      // The node keeps reporting: a heartbeat accepted after the rotation, and online.
      await eventually(async () => {
        const at = await fact(page.locator('main'), 'Last heartbeat')
          .locator('time')
          .getAttribute('datetime');
        return at !== null && Date.parse(at) > rotatedAt ? at : undefined;
      }, 20_000);
      await waitForText(fact(page.locator('main'), 'Status'), /^online$/);
      await open('Nodes');
      // Online, with no warning beside it.
      await waitForText(await cellOf(page.getByRole('table', { name: 'Nodes' }), NODE, 'Status'), /^online$/);
    },
    60_000,
  );

  step(
    '7. creates a user; the user’s bytes through the real core show in the Users table',
    async () => {
      await open('Users');
      await page.getByRole('button', { name: 'Add user' }).click();
      await dialog().getByLabel('Email', { exact: true }).fill(EMAIL);
      const uuidField = dialog().getByLabel('UUID', { exact: true });
      const first = await uuidField.inputValue();
      expect(first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      await dialog().getByRole('button', { name: 'New UUID' }).click();
      userId = await uuidField.inputValue();
      expect(userId).toMatch(/^[0-9a-f-]{36}$/);
      expect(userId).not.toBe(first);
      // A long action shows its progress: held back here for a moment so that it can be seen.
      await page.route('**/v1/web/users', async (route) => {
        if (route.request().method() === 'POST') await sleep(1_000);
        await route.continue();
      });
      const create = dialog().getByRole('button', { name: 'Create user' });
      await create.click();
      await dialog().getByRole('status').filter({ hasText: 'Creating…' }).waitFor({ timeout: 5_000 });
      expect(await create.isDisabled()).toBe(true);
      await dialog().waitFor({ state: 'hidden', timeout: 10_000 });
      await page.unrouteAll();
      const users = page.getByRole('table', { name: 'Users' });
      await waitForText(await cellOf(users, EMAIL, 'Status'), /^enabled$/);

      await pool.startV2ray(
        clientDir.path,
        clientConfig({ socksPort: ports.socks, serverPort: ports.vless, id: userId }),
        ports.socks,
      );
      // The worker picks the user up at its next pull (every second here); until then the core
      // refuses the unknown id and the exchange comes back short.
      const request = Buffer.from(`GET /${SERVED} HTTP/1.1\r\nHost: dest\r\nConnection: close\r\n\r\n`);
      await eventually(async () => {
        const got = await socksExchange(
          ports.socks,
          { host: '127.0.0.1', port: destination.port },
          request,
          5_000,
        ).catch(() => Buffer.alloc(0));
        return got.length > SERVED ? got : undefined;
      }, 30_000);
      const served = await destination.connections.at(-1)!.closed;

      // What the page shows is what crossed the destination's socket (give or take its rounding).
      const near = (text: string) => {
        const shown = bytesShown(text);
        const close = (value: number) => Math.abs(value - served.bytesWritten) <= served.bytesWritten * 0.06;
        return shown !== undefined && (close(shown.decimal) || close(shown.binary));
      };
      await waitForText(await cellOf(users, EMAIL, 'Download'), near, {
        what: `of about ${served.bytesWritten} bytes`,
        timeoutMs: 30_000,
        reload: page,
        reloadEveryMs: 3_000,
      });
      const upload = await waitForText(await cellOf(users, EMAIL, 'Upload'), /[1-9]/, { reload: page });
      expect(bytesShown(upload), `Upload shows bytes: "${upload}"`).toBeDefined();
      await screenshot(page, 'users');
    },
    90_000,
  );

  step('8. shares the user’s vless:// link and QR code for the node', async () => {
    await page.getByRole('button', { name: `Share ${EMAIL}` }).click();
    const link = dialog().getByLabel(`Link for ${NODE}`);
    await link.waitFor({ timeout: 10_000 });
    const uri = await link.inputValue();
    expect(uri).toMatch(/^vless:\/\//);
    const parsed = new URL(uri);
    expect(parsed.username).toBe(userId);
    expect(parsed.port).toBe(String(ports.vless));
    const qr = dialog().getByRole('img', { name: `QR code for ${NODE}` });
    await qr.waitFor();
    expect((await qr.boundingBox())!.width).toBeGreaterThan(64);
    await dialog().getByRole('button', { name: 'Copy link' }).first().waitFor();
    await screenshot(page, 'users-share');
    await page.keyboard.press('Escape'); // a modal <dialog> closes on Escape
    await dialog().waitFor({ state: 'hidden' });
  });

  step('9. creates an L3.SHA256 key, shown once; seed 003’s script calls the OpenAPI with it', async () => {
    await open('Access keys');
    await page.getByRole('button', { name: 'Create key' }).click();
    const algorithm = select('Algorithm');
    await eventually(
      async () => ((await algorithm.locator('option').count()) > 1 ? true : undefined),
      10_000,
    );
    expect(await algorithm.inputValue()).toBe('L3.SHA256');
    // This master was started without --allow-l0-keys: no L0 choice is offered.
    const choices = await algorithm
      .locator('option')
      .evaluateAll((options) => options.map((o) => (o as unknown as { value: string }).value));
    expect(choices).toContain('L3.HMAC-SHA256');
    expect(choices.filter((c) => c.startsWith('L0'))).toEqual([]);
    await select('Scope').selectOption('read-only');
    await dialog().getByLabel('Description', { exact: true }).fill('browser test script');
    await dialog().getByRole('button', { name: 'Create', exact: true }).click();
    const accessField = dialog().getByLabel('Access key', { exact: true });
    await accessField.waitFor({ timeout: 10_000 });
    key = {
      accessKey: await accessField.inputValue(),
      secretKey: await dialog().getByLabel('Secret key', { exact: true }).inputValue(),
      algorithm: 'L3.SHA256',
    };
    expect(key.accessKey).toMatch(/^[0-9a-f]{16}$/);
    expect(key.secretKey.length).toBeGreaterThanOrEqual(32);
    await waitForText(dialog(), /shown only once/);
    await dialog().getByRole('button', { name: 'Copy secret key' }).waitFor();
    await screenshot(page, 'keys-created');

    const accepted = await summaryFromScript();
    expect(accepted, JSON.stringify(accepted.json)).toMatchObject({
      status: 200,
      json: { Success: true, Data: { nodes: { total: 1, online: 1, offline: 0 }, users: { total: 1 } } },
    });
    await dialog().getByRole('button', { name: 'Done' }).click();
    await dialog().waitFor({ state: 'hidden' });
    const keys = page.getByRole('table', { name: 'Access keys' });
    await waitForText(await cellOf(keys, key.accessKey, 'Status'), /^enabled$/);
    await waitForText(await cellOf(keys, key.accessKey, 'Algorithm'), /^L3\.SHA256$/);
    await waitForText(await cellOf(keys, key.accessKey, 'Uses'), /^1$/, { reload: page });
    await waitForText(await cellOf(keys, key.accessKey, 'Last used'), /^(?!never$)\S/);
    expect(await page.getByText(key.secretKey).count(), 'the secret is not shown again').toBe(0);
    await screenshot(page, 'keys');
  });

  step('10. disables the key after a confirmation; the same script is refused', async () => {
    const keys = page.getByRole('table', { name: 'Access keys' });
    await keys.getByRole('button', { name: new RegExp(`^Disable\\b.*${key.accessKey}`) }).click();
    await waitForText(dialog(), new RegExp(key.accessKey));
    await dialog().getByRole('button', { name: 'Disable', exact: true }).click();
    await dialog().waitFor({ state: 'hidden' });
    await waitForText(await cellOf(keys, key.accessKey, 'Status'), /^disabled$/);
    await keys.getByRole('button', { name: new RegExp(`^Enable\\b.*${key.accessKey}`) }).waitFor();
    const refused = await summaryFromScript();
    expect(refused).toEqual({
      status: 401,
      json: { Data: null, Success: false, Code: 40100, Message: 'unauthorized' },
    });
  });

  step('11. the audit log has the key’s actions, and filters them', async () => {
    await open('Audit log');
    const events = page.getByRole('table', { name: 'Audit events' });
    await waitForText(events, new RegExp(key.accessKey));
    // Each row's text, cells apart, in lower case (CSS may show some in capitals).
    const rowsWith = async (text: string) =>
      (await events.getByRole('row').filter({ hasText: text }).allInnerTexts()).map((t) => t.toLowerCase());
    const withKey = await rowsWith(key.accessKey);
    const has = (action: string, result: string) =>
      withKey.some((t) => t.includes(action) && new RegExp(`\\b${result}\\b`).test(t));
    expect(has('keys.disable', 'ok'), withKey.join('\n')).toBe(true); // the admin's action on the key
    expect(has('cluster.summary', 'ok'), withKey.join('\n')).toBe(true); // the key's accepted call
    expect(has('cluster.summary', 'denied'), withKey.join('\n')).toBe(true); // and the refused one

    await page.getByLabel('Actor', { exact: true }).fill(key.accessKey);
    await select('Result').selectOption('denied');
    await page.getByRole('button', { name: 'Apply' }).click();
    // The filtered page: the key's rows only (not the admin's keys.disable of it), once loaded.
    await eventually(async () => {
      const rows = events.getByRole('row');
      const loaded = (await rows.filter({ hasText: key.accessKey }).count()) > 0;
      return loaded && (await rows.filter({ hasText: 'keys.disable' }).count()) === 0 ? true : undefined;
    }, 10_000);
    const denied = await rowsWith(key.accessKey);
    expect(denied.length, denied.join('\n')).toBe(1);
    expect(denied[0]).toMatch(/cluster\.summary[\s\S]*\bdenied\b/);
    for (const label of ['Action', 'Since', 'Until']) await page.getByLabel(label, { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Older' }).waitFor();
    await page.getByRole('button', { name: 'Newer' }).waitFor();
    await screenshot(page, 'audit');
  });

  step('12. the signer page says that no signer is configured, and how to configure one', async () => {
    await open('Signer');
    await waitForText(page.locator('main'), /No signer is configured/);
    await waitForText(page.locator('main'), /signet master --signer-url/);
    await screenshot(page, 'signer');
  });

  step(
    '13. the dashboard counts the traffic; it works at phone width and in the dark theme',
    async () => {
      await open('Dashboard');
      const perNode = page.getByRole('table', { name: 'Traffic per node' });
      await waitForText(perNode, new RegExp(NODE), { reload: page });
      const nodeDown = bytesShown(await waitForText(await cellOf(perNode, NODE, 'Download'), /[1-9]/));
      expect(nodeDown!.binary, 'the node’s download in the last hour').toBeGreaterThan(SERVED * 0.9);
      await waitForText(page.getByRole('table', { name: 'Recent audit events' }), /keys\.disable/, {
        reload: page,
      });
      await screenshot(page, 'dashboard');

      await page.setViewportSize({ width: 390, height: 844 });
      // Each page once its data is in (a row naming the node, or the user).
      for (const [path, h1, table, row, name] of [
        ['', 'Dashboard', 'Traffic per node', NODE, 'dashboard'],
        ['nodes', 'Nodes', 'Nodes', NODE, 'nodes'],
        ['users', 'Users', 'Users', EMAIL, 'users'],
      ] as const) {
        await page.goto(`${master.url}/#/${path}`);
        await heading(h1).waitFor();
        await waitForText(page.getByRole('table', { name: table }), new RegExp(row));
        // (The chart follows its box a frame or two after a resize.)
        const fits = await eventually(
          async () => ((await overflowsHorizontally(page)) ? undefined : true),
          3_000,
        ).catch(() => false);
        expect(fits, `${h1} fits 390 px`).toBe(true);
        expect(await nav('Audit log').isVisible(), 'the navigation is there on a phone').toBe(true);
        await screenshot(page, `${name}-phone`);
      }

      await page.setViewportSize({ width: 1280, height: 800 });
      await page.goto(`${master.url}/#/`);
      await heading('Dashboard').waitFor();
      const toggle = page.getByRole('button', { name: 'Toggle dark theme' });
      expect(await toggle.getAttribute('aria-pressed')).toBe('false');
      const light = await page.evaluate(COLOURS);
      await toggle.click();
      expect(await toggle.getAttribute('aria-pressed')).toBe('true');
      expect(await page.evaluate(COLOURS)).not.toEqual(light);
      await page.reload(); // the choice is kept
      await heading('Dashboard').waitFor();
      expect(await page.getByRole('button', { name: 'Toggle dark theme' }).getAttribute('aria-pressed')).toBe(
        'true',
      );
      await waitForText(perNode, new RegExp(NODE));
      await screenshot(page, 'dashboard-dark');
      await open('Users');
      await waitForText(page.getByRole('table', { name: 'Users' }), new RegExp(EMAIL));
      await screenshot(page, 'users-dark');

      // Until the reader picks a theme, the system's preference decides.
      const darkSystem = await browser.newContext({
        viewport: { width: 1280, height: 800 },
        colorScheme: 'dark',
      });
      const fresh = await darkSystem.newPage();
      await fresh.goto(`${master.url}/`);
      const freshToggle = fresh.getByRole('button', { name: 'Toggle dark theme' });
      await freshToggle.waitFor({ timeout: 10_000 });
      expect(await freshToggle.getAttribute('aria-pressed')).toBe('true');
      await darkSystem.close();
    },
    60_000,
  );

  step('14. signs out everywhere: another tab’s session ends and says so', async () => {
    const other = await context.newPage(); // a session of its own (sessionStorage is per tab)
    await signIn(other, master.url, ADMIN);
    // Tokens carry whole seconds, and one from the very second of a logout stays valid: sign out
    // in a later second than the other tab signed in.
    await sleep(1_000 - (Date.now() % 1_000) + 50);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Signet' }).waitFor({ timeout: 10_000 });
    await page.goto(`${master.url}/#/users`);
    await page.getByRole('heading', { name: 'Sign in to Signet' }).waitFor({ timeout: 10_000 });
    // The master ended every session of the account: the other tab's next call is refused.
    await other
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Users', exact: true })
      .click();
    await other.getByRole('heading', { name: 'Sign in to Signet' }).waitFor({ timeout: 10_000 });
    await waitForText(other.getByRole('status'), /Your session ended: sign in again/);
    await other.close();
  });
});
