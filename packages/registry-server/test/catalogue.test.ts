// The web catalogue in real headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core; never a
// browser a tool downloads): searched and opened with the keyboard alone, the install command found, no
// accessibility violation that axe-core can see, and a publisher's HTML shown as text, never run.
// The page.evaluate callbacks run in the page, hence the DOM types:
/// <reference lib="dom" />
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { redmineConnectorDefinition, shopConnectorDefinition } from '@pullpush/testkit';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRegistry, type RunningRegistry } from '../src/index.ts';
import { publisher } from './publisher.ts';

const CHROMIUM = '/usr/bin/chromium';
// CI installs Chromium (.ci/run) and must run this; elsewhere it is skipped with a message when it is missing.
const available = existsSync(CHROMIUM) || process.env['CI'] === 'true';
if (!available) console.warn(`catalogue.test.ts skipped: no ${CHROMIUM} (apt-get install chromium).`);

let dir: string;
let registry: RunningRegistry;
let browser: Browser;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pullpush-catalogue-'));
  registry = await startRegistry({ db: join(dir, 'registry.db') });
  const acme = await publisher(registry.url, 'acme');
  const shop = shopConnectorDefinition({ baseUrl: 'https://shop.example.com' }) as unknown as Record<string, unknown>;
  for (const version of ['1.0.0', '1.1.0']) expect((await acme.publish('@acme/shop', { ...shop, version })).status).toBe(201);
  const tracker = await publisher(registry.url, 'tracker');
  const redmine = redmineConnectorDefinition() as unknown as Record<string, unknown>;
  expect((await tracker.publish('@tracker/redmine', { ...redmine, version: '1.0.0', description: 'Redmine issues <script>document.title="run"</script><b>bold</b>' })).status).toBe(201);
  if (!available) return;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    // No network beyond 127.0.0.1 here: Chromium's own background connections are switched off.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await registry?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Presses Tab until the focused element matches, at most `presses` times; its outer HTML. */
async function tabTo(page: Page, selector: string, presses = 30): Promise<void> {
  for (let press = 0; press < presses; press += 1) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((wanted) => document.activeElement?.matches(wanted) ?? false, selector)) return;
  }
  throw new Error(`${selector} never took the focus in ${presses} Tab presses`);
}

async function expectAccessible(page: Page): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  expect(violations.map((violation) => `${violation.id}: ${violation.help} (${violation.nodes.length})`)).toEqual([]);
}

describe.skipIf(!available)('the web catalogue in Chromium', () => {
  it('is searched and opened with the keyboard; the connector page shows streams, auth, versions, the verification and the install command', { timeout: 120_000 }, async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${registry.url}/`);
    await expectAccessible(page);
    expect(await page.getByRole('searchbox', { name: 'Search connectors' }).count()).toBe(1);

    // The first Tab reaches the skip link, then the search box; Enter submits the query.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await tabTo(page, 'input#q');
    await page.keyboard.type('commerce.order');
    await Promise.all([page.waitForURL(/\?q=commerce.order/), page.keyboard.press('Enter')]);
    expect(await page.locator('h1').textContent()).toBe('Connectors matching "commerce.order"');
    expect(await page.locator('ul.results h2').allTextContents()).toEqual(['@acme/shop']);
    await expectAccessible(page);

    await tabTo(page, 'a[href="/connectors/@acme/shop"]');
    await Promise.all([page.waitForURL(/\/connectors\/@acme\/shop$/), page.keyboard.press('Enter')]);
    expect(await page.locator('h1').textContent()).toBe('@acme/shop');
    expect(await page.locator('pre code').textContent()).toBe(`pullpush install @acme/shop --registry ${registry.url}`);
    const streams = await page.locator('table').first().locator('tbody tr').allInnerTexts();
    expect(streams.some((row) => row.startsWith('orders') && row.includes('commerce.order@1'))).toBe(true);
    expect(await page.locator('table').nth(1).locator('tbody th').allTextContents()).toEqual(['1.1.0', '1.0.0']);
    expect(await page.locator('main').innerText()).toContain('The read-only test of 1.1.0: pass');
    await expectAccessible(page);
    await page.screenshot({ path: join(process.env['PULLPUSH_SCREENSHOTS'] ?? dir, 'catalogue-connector.png'), fullPage: true });
    await context.close();
  });

  it("shows a publisher's HTML as text and runs no script; an unknown connector is a 404 page", { timeout: 60_000 }, async () => {
    const page = await browser.newPage();
    const response = await page.goto(`${registry.url}/connectors/@tracker/redmine`);
    expect(response?.headers()['content-security-policy']).toContain("default-src 'none'");
    expect(await page.title()).toBe('@tracker/redmine · PullPush registry');
    expect(await page.locator('main > p').nth(1).textContent()).toBe('Redmine issues <script>document.title="run"</script><b>bold</b>');
    expect(await page.locator('main b, main script').count()).toBe(0);
    expect((await page.goto(`${registry.url}/connectors/@tracker/none`))?.status()).toBe(404);
    expect((await page.goto(`${registry.url}/connectors/@..%2F..%2Fetc/passwd`))?.status()).toBe(404);
    await page.close();
  });
});
