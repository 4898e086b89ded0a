#!/usr/bin/env node
// Opens the built API reference (docs-site/index.html, from `npm run docs`) in headless Chromium
// (Debian's /usr/bin/chromium, driven by playwright), checks that the page rendered (the title, the
// navigation with every entry module, the README as the index) and that the search box is there
// and finds something, then saves a screenshot.
//   node scripts/docs-screenshot.mjs [out.png]     default: docs-site/screenshot.png
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright';

const root = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');
const index = resolve(root, 'docs-site/index.html');
const out = resolve(process.argv[2] ?? resolve(root, 'docs-site/screenshot.png'));
if (!existsSync(index)) {
  console.error('docs-screenshot: docs-site/index.html is missing: run `npm run docs` first');
  process.exit(1);
}
const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8'));
const modules = Object.keys(pkg.exports).filter((k) => k !== './package.json').map((k) => (k === '.' ? pkg.name : `${pkg.name}/${k.slice(2)}`));

const failures = [];
const check = (ok, what) => { console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`); if (!ok) failures.push(what); };

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(pathToFileURL(index).href, { waitUntil: 'load' });
  check((await page.title()).includes(pkg.name), `the page title names ${pkg.name}: "${await page.title()}"`);
  const title = /^#\s+(.*)$/m.exec(readFileSync(resolve(root, 'README.md'), 'utf8'))?.[1] ?? pkg.name;
  const headings = await page.locator('.col-content h1, .col-content h2').allTextContents();
  check(headings.some((h) => h.trim() === title), `the README is the index page (a heading "${title}")`);
  // The navigation tree is filled in by the page's script from an embedded data blob.
  const nav = page.locator('.site-menu .tsd-navigation');
  await nav.locator('a[href*="modules/"]').first().waitFor({ timeout: 10_000 });
  const hrefs = await nav.locator('a[href*="modules/"]').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
  for (const name of modules) {
    const page = `modules/${name.replace(/[^\w]/g, '_')}.html`;
    check(hrefs.some((href) => href.endsWith(page)), `the navigation links the module ${name} (${page})`);
  }
  const search = page.locator('#tsd-search-trigger, #tsd-search input, input#tsd-search-field').first();
  check(await search.isVisible(), 'the search box is there');
  await page.screenshot({ path: out, fullPage: false });
  console.log(`screenshot: ${out}`);
  // Search for an export and expect it among the results.
  await search.click();
  const field = page.locator('#tsd-search-input, #tsd-search-field, #tsd-search input').first();
  await field.fill('withTimeout');
  const result = page.locator('#tsd-search-results li, .results li').filter({ hasText: 'withTimeout' }).first();
  check(await result.waitFor({ timeout: 10_000 }).then(() => true, () => false), 'searching "withTimeout" finds it');
  check(errors.length === 0, `no script errors${errors.length ? `: ${errors.join('; ')}` : ''}`);
} finally {
  await browser.close();
}
if (failures.length > 0) process.exit(1);
