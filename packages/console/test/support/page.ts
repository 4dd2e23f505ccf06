import { setTimeout as sleep } from 'node:timers/promises';
import type { Locator, Page } from 'playwright-core';

/**
 * Waits until the locator's text matches, and returns it; the error says what was there instead.
 * With `reload`, the page is reloaded every `reloadEveryMs` while waiting (for lists the page
 * refreshes only on its own schedule).
 */
export async function waitForText(
  locator: Locator,
  expected: RegExp | ((text: string) => boolean),
  options: { timeoutMs?: number; reload?: Page; reloadEveryMs?: number; what?: string } = {},
): Promise<string> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const deadline = Date.now() + timeoutMs;
  let reloadAt = Date.now() + (options.reloadEveryMs ?? 5_000);
  const matches = typeof expected === 'function' ? expected : (text: string) => expected.test(text);
  let last = '(not found)';
  for (;;) {
    try {
      // As shown (blocks apart), or as in the DOM (CSS may show it in capitals); spaces collapsed.
      const target = locator.first();
      const shown = (await target.innerText({ timeout: 1_000 })).replace(/\s+/g, ' ').trim();
      const dom = ((await target.textContent({ timeout: 1_000 })) ?? '').replace(/\s+/g, ' ').trim();
      last = shown;
      if (matches(shown)) return shown;
      if (matches(dom)) return dom;
    } catch {
      // not (yet) on the page
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${String(locator)}: expected text ${options.what ?? (typeof expected === 'function' ? 'passing the check' : String(expected))} within ${timeoutMs} ms; it was: ${last}`,
      );
    }
    if (options.reload && Date.now() > reloadAt) {
      await options.reload.reload();
      reloadAt = Date.now() + (options.reloadEveryMs ?? 5_000);
    }
    await sleep(200);
  }
}

/** The cell of the row that contains `rowText`, in the column headed `column` (by the table's header row). */
export async function cellOf(table: Locator, rowText: string, column: string): Promise<Locator> {
  await table.waitFor({ timeout: 10_000 });
  const headers = (await table.getByRole('columnheader').allTextContents()).map((h) => h.trim());
  const index = headers.findIndex((h) => h === column);
  if (index < 0)
    throw new Error(`${String(table)} has no column "${column}" (columns: ${headers.join(' | ')})`);
  return table.getByRole('row').filter({ hasText: rowText }).first().locator('td, th').nth(index);
}

/** Bytes shown as "123 B", "1.5 kB", "2.0 KiB", "3 MB"…, or undefined when the text is not that. */
export function bytesShown(text: string): { decimal: number; binary: number } | undefined {
  const match = /([\d.,]+)\s*(B|[kKMGT]i?B)\b/.exec(text);
  if (!match) return undefined;
  const value = Number(match[1]!.replace(/,/g, ''));
  const unit = match[2]!;
  const power = 'BKMGT'.indexOf(unit[0]!.toUpperCase());
  return { decimal: value * 1000 ** power, binary: value * 1024 ** power };
}

/** Whether the page is wider than its viewport (a horizontal scroll bar on a phone). */
export async function overflowsHorizontally(page: Page): Promise<boolean> {
  return page.evaluate('document.documentElement.scrollWidth > window.innerWidth + 1') as Promise<boolean>;
}

/** Signs in on the console's login page and waits for the dashboard. */
export async function signIn(
  page: Page,
  url: string,
  admin: { name: string; password: string },
): Promise<void> {
  await page.goto(`${url}/`);
  await page.getByRole('heading', { name: 'Sign in to Signet' }).waitFor({ timeout: 15_000 });
  await page.getByLabel('Name', { exact: true }).fill(admin.name);
  await page.getByLabel('Password', { exact: true }).fill(admin.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Dashboard', exact: true }).waitFor({ timeout: 10_000 });
}
