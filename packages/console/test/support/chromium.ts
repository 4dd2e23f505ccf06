import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium (`apt-get install -y chromium`): Playwright drives it, it never downloads one. */
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];

/** Where the screenshots go: the repository's git-ignored test-results/console/. */
export const SCREENSHOTS = fileURLToPath(new URL('../../../../test-results/console/', import.meta.url));

/**
 * Whether the browser tests run here. CI must have Chromium and never skips them (a missing
 * browser fails the run); elsewhere, without it, they are skipped with a visible reason.
 */
export function chromiumForTests(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env['CI'])
    throw new Error(
      `${CHROMIUM} must exist in CI (apt-get install -y chromium): the browser tests may not be skipped there`,
    );
  console.warn(`${CHROMIUM} is missing (apt-get install -y chromium): skipping the console's browser tests`);
  return false;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
}

/**
 * A full-page screenshot at test-results/console/NAME.png. The viewport is made as tall as the
 * page for it, so what is sized to the window (a sidebar of 100vh) is drawn as a reader sees it.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const viewport = page.viewportSize();
  const height = (await page.evaluate('document.documentElement.scrollHeight')) as number;
  const taller = viewport !== null && height > viewport.height;
  if (taller) await page.setViewportSize({ width: viewport.width, height });
  try {
    await page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: true, animations: 'disabled' });
  } finally {
    if (taller) await page.setViewportSize(viewport);
  }
}

/** Removes the screenshots of failed steps that an earlier run left (`failed-*.png`). */
export function clearFailureScreenshots(): void {
  if (!existsSync(SCREENSHOTS)) return;
  for (const file of readdirSync(SCREENSHOTS)) {
    if (file.startsWith('failed-')) rmSync(`${SCREENSHOTS}${file}`);
  }
}
