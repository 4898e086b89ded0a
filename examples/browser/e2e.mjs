// End-to-end test of the demo page in a real headless browser (Playwright, the system browsers):
// run a batch to completion, start another and cancel it mid-flight, check the page and the
// server agree, and save a screenshot.
//   node examples/browser/e2e.mjs chromium|firefox      (build first: npm run demo:build)
import { chromium, firefox } from 'playwright';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from './server.mjs';

const which = process.argv[2] ?? 'chromium';
const launchers = {
  chromium: () => chromium.launch({ executablePath: '/usr/bin/chromium', headless: true }),
  // Stock Firefox over WebDriver BiDi (Playwright's moz-firefox channel): Debian's firefox-esr.
  firefox: () => firefox.launch({ channel: 'moz-firefox', executablePath: '/usr/bin/firefox-esr', headless: true }),
};
if (!(which in launchers)) throw new Error(`Expected chromium or firefox, got ${which}`);

function check(condition, message) {
  if (!condition) throw new Error(`e2e check failed: ${message}`);
  console.log(`ok - ${message}`);
}

/**
 * Sets an input's value. (page.fill() over WebDriver BiDi in Firefox ESR 153 appends to the current
 * value instead of replacing it: "20" filled with "3" became "203".)
 */
function setValue(page, selector, value) {
  return page.$eval(selector, (el, v) => { el.value = v; el.dispatchEvent(new Event('input', { bubbles: true })); }, value);
}

const server = await startServer(0);
const browser = await launchers[which]();
try {
  const page = await browser.newPage();
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error));
  await page.goto(server.url);
  await page.waitForSelector('#summary[data-state="idle"]');
  check(true, `${which} ${browser.version()} loaded the demo page`);

  // 1. A batch that runs to the end: latency 0-1500 ms (fixed per request id), timeout 750 ms.
  // Browsers open at most 6 connections per host, so later requests also queue in the browser.
  await setValue(page, '#count', '20');
  await setValue(page, '#timeout', '750');
  await setValue(page, '#latency-min', '0');
  await setValue(page, '#latency-max', '1500');
  await page.click('#start');
  await page.waitForSelector('#summary[data-state="done"]', { timeout: 15_000 });
  const first = await page.$eval('#summary', (el) => ({ ...el.dataset }));
  check(Number(first.ok) + Number(first.timeout) === 20, `all 20 requests ended: ${first.ok} ok, ${first.timeout} timed out`);
  check(Number(first.ok) > 0 && Number(first.timeout) > 0, 'some finished in time and some timed out');
  check(Number(first.error) === 0 && Number(first.cancelled) === 0, 'none failed or was cancelled');
  // While render runs, the only task parked on the browser is ui, on the Start button's stream.
  await page.waitForFunction(() => document.querySelector('[data-stat="host waits"]')?.textContent === '1');
  check(true, 'after the batch one host wait is left: the Start button listener');

  // 2. A slow batch, cancelled while its requests are in flight.
  const before = { ...server.stats };
  await setValue(page, '#timeout', '30000');
  await setValue(page, '#latency-min', '10000');
  await setValue(page, '#latency-max', '20000');
  await page.click('#start');
  await page.waitForSelector('#summary[data-state="running"]');
  await page.waitForFunction(() => Number(document.querySelector('[data-stat="host waits"]')?.textContent) >= 20);
  check(true, 'all 20 requests in flight (host waits: 20 fetches + the Cancel button)');
  await page.click('#cancel');
  await page.waitForSelector('#summary[data-state="cancelled"]', { timeout: 10_000 });
  const second = await page.$eval('#summary', (el) => ({ ...el.dataset }));
  check(Number(second.cancelled) === 20, `the Cancel button cancelled all 20 requests (${second.cancelled})`);
  await page.waitForFunction(() => document.querySelector('[data-stat="host waits"]')?.textContent === '1');
  const tree = await page.$eval('#tree', (el) => el.textContent);
  check(/request 0 — cancelled/.test(tree) && /render — (parked|running|ready)/.test(tree), 'the task tree shows cancelled requests and the live render task');
  // Requests still queued in the browser never reached the server; every one that did was aborted.
  for (let i = 0; i < 100 && server.stats.inFlight > 0; i++) await new Promise((r) => setTimeout(r, 50));
  const reached = server.stats.started - before.started;
  const aborted = server.stats.aborted - before.aborted;
  check(server.stats.inFlight === 0 && server.stats.finished === before.finished, 'nothing left in flight on the server');
  check(reached > 0 && aborted === reached, `the server saw every request that reached it aborted (${aborted} of ${reached})`);

  const file = join(tmpdir(), `giambio-demo-${which}.png`);
  await page.screenshot({ path: file, fullPage: true });
  check(true, `screenshot saved to ${file}`);
  check(pageErrors.length === 0, `no errors on the page${pageErrors.length ? `: ${pageErrors.join('; ')}` : ''}`);
} finally {
  await browser.close();
  await server.close();
}
