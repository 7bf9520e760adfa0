import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReport } from '../../src/report/render-report.js';
import { fixtureInput } from '../report/report-fixture.js';

const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts');
const ROOT = join(import.meta.dirname, '..', '..');
/** `npm run demo` keeps its store and inputs in data/demo and writes the report to reports/demo (README). */
const DEMO_DATA = join(ROOT, 'data', 'demo');
const DEMO_REPORT = process.env['STAGEWISE_DEMO_REPORT'] ?? join(ROOT, 'reports', 'demo', 'index.html');

interface Visit {
  page: Page;
  /** Every request that was not file: or data: (each was aborted). */
  external: string[];
  /** Console errors and uncaught page errors. */
  errors: string[];
  /** Dialogs the page opened (alert(1) from an injected handler would show here). */
  dialogs: string[];
}

/** The slice of the DOM's getComputedStyle these tests read (the project compiles without the DOM lib). */
interface Styles {
  getComputedStyle(element: unknown): { borderLeftColor: string; maxHeight: string };
}

let browser: Browser;

beforeAll(async () => {
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: FLAGS });
});
afterAll(async () => {
  await browser?.close();
});

async function visit(file: string): Promise<Visit> {
  const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  const visit: Visit = { page, external: [], errors: [], dialogs: [] };
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (/^(file|data):/.test(url)) return route.continue();
    visit.external.push(url);
    return route.abort();
  });
  page.on('console', (message) => {
    if (message.type() === 'error') visit.errors.push(message.text());
  });
  page.on('pageerror', (error) => visit.errors.push(error.message));
  page.on('dialog', (dialog) => {
    visit.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return visit;
}

async function checkReport(visit: Visit, screenshot: string): Promise<void> {
  const { page } = visit;
  await expect(page.locator('#summary article.stage').first().isVisible()).resolves.toBe(true);
  const charts = page.locator('figure.chart');
  const count = await charts.count();
  expect(count).toBeGreaterThan(0);
  for (let i = 0; i < count; i++) {
    const svg = charts.nth(i).locator('svg').first();
    await expect(svg.isVisible()).resolves.toBe(true);
    const box = await svg.boundingBox();
    expect(box?.width ?? 0).toBeGreaterThan(100);
    expect(box?.height ?? 0).toBeGreaterThan(50);
  }
  await mkdir(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, screenshot), fullPage: true });
  expect(visit.external).toEqual([]);
  expect(visit.errors).toEqual([]);
  expect(visit.dialogs).toEqual([]);
}

describe('renderReport in a browser', () => {
  let visitFixture: Visit;
  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    const file = join(ARTIFACTS, 'fixture-report.html');
    await writeFile(file, await renderReport(fixtureInput()));
    visitFixture = await visit(file);
  });

  it('shows the summary and every chart, loads nothing from the network and logs no error', async () => {
    await checkReport(visitFixture, 'fixture-report.png');
    await expect(visitFixture.page.locator('#summary').innerText()).resolves.toContain(
      'stage-2: one tenant regressed: t012 success rate −3.1 pp (95% CI −4.4 to −1.8); recommended rollback: tenant t012 only',
    );
  });

  it('keeps hostile tenant names inert text', async () => {
    const { page } = visitFixture;
    await expect(page.evaluate(() => (globalThis as { __xss?: unknown }).__xss)).resolves.toBeUndefined();
    await expect(page.locator('img').count()).resolves.toBe(0);
    await expect(page.locator('script').count()).resolves.toBe(await page.locator('script[type="application/json"]').count() + 1);
    await expect(page.locator('#results').innerText()).resolves.toContain('<img src=x onerror=alert(1)>');
  });

  it('colours each stage by its traffic light', async () => {
    const { page } = visitFixture;
    const border = (light: string) =>
      page.locator(`article.stage[data-light="${light}"]`).first().evaluate((el) => (globalThis as unknown as Styles).getComputedStyle(el).borderLeftColor);
    await expect(border('red')).resolves.toBe('rgb(192, 57, 43)');
    await expect(border('amber')).resolves.toBe('rgb(214, 137, 16)');
  });

  it('hides navigation and keeps every chart and table in print', async () => {
    const { page } = visitFixture;
    await page.emulateMedia({ media: 'print' });
    try {
      await expect(page.locator('nav.toc').isVisible()).resolves.toBe(false);
      await expect(page.locator('#rollback pre.flagd').evaluate((el) => (globalThis as unknown as Styles).getComputedStyle(el).maxHeight)).resolves.toBe('none');
      await expect(page.locator('figure.chart svg').first().isVisible()).resolves.toBe(true);
    } finally {
      await page.emulateMedia({ media: 'screen' });
    }
  });

  it('sorts a results table by effect and back to the report order', async () => {
    const { page } = visitFixture;
    const table = page.locator('#results-stage-2-success-rate');
    // The Effect column as shown (`−3.1 pp`), and as the number the sort reads from it.
    const effects = () => table.locator('tbody tr').evaluateAll((rows) => rows.map((r) => (r as unknown as { cells: { textContent: string }[] }).cells[4]?.textContent ?? ''));
    const numbers = (texts: string[]) => texts.filter((t) => t !== '—').map((t) => Number.parseFloat(t.replace('\u2212', '-')));
    const initial = await effects();
    expect(initial[0]).toBe('\u22123.1 pp');
    const button = table.locator('th[data-sort] button');
    await button.click();
    const ascending = numbers(await effects());
    expect(ascending.length).toBeGreaterThan(3);
    expect(ascending).toEqual([...ascending].sort((a, b) => a - b));
    await button.click();
    const descending = numbers(await effects());
    expect(descending).toEqual([...descending].sort((a, b) => b - a));
    await button.click();
    await expect(effects()).resolves.toEqual(initial);
  });
});

describe('the demo report in a browser', () => {
  it('shows the summary and every chart, loads nothing from the network and logs no error', async () => {
    // A fresh clone (CI) has no demo yet: run it, exactly as the README's quick start does (about 30 s).
    if (!existsSync(DEMO_REPORT)) {
      execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'demo.ts')], { cwd: ROOT, stdio: 'ignore', timeout: 300_000 });
    }
    expect(existsSync(DEMO_DATA)).toBe(true);
    expect(existsSync(DEMO_REPORT), `${DEMO_REPORT} is missing: run 'npm run demo'`).toBe(true);
    await checkReport(await visit(DEMO_REPORT), 'demo-report.png');
  }, 360_000);
});
