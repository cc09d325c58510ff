// Browser tests of attendance: Debian's Chromium, driven by playwright-core,
// against `qorgan serve --demo` on a fresh database and an ephemeral port.
//
// A director opens a class's week (a server-drawn SVG chart beside a
// table, no script, no style attribute: a CSP violation would show as a
// console error) and downloads it as XLSX; the month fits a phone; the
// week works with JavaScript off; the demo's class teacher sees 5А only.
//
// Every wait is bounded; the server is killed whatever happens.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const BIN = process.env.QORGAN_BIN;
const ARTIFACTS = process.env.QORGAN_ARTIFACTS;
const CHROMIUM = '/usr/bin/chromium';
const PASSWORD = 'qorgan-demo-2026';
const START_TIMEOUT_MS = 90_000; // --demo hashes 15 passwords, imports 600
const STOP_TIMEOUT_MS = 30_000;
const STEP_TIMEOUT_MS = 20_000;
const TEST_TIMEOUT = { timeout: 180_000 };
const SANITIZER = /AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error:/;
// The demo binds its class teacher to 5А (src/demo/demo.c).
const CLASS = `/school/demo/class/${encodeURIComponent('5А')}/attendance`;
const OTHER = `/school/demo/class/${encodeURIComponent('5Б')}/attendance`;

let dir;
let server;
let serverExit;
let serverErr = '';
let base;
let browser;

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

function startServer() {
  dir = mkdtempSync(path.join(tmpdir(), 'qorgan-e2e-att-'));
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('QORGAN_')) delete env[k];
  server = spawn(BIN, ['serve', '--listen', '127.0.0.1:0', '--demo', '--db', path.join(dir, 'demo.db')], {
    cwd: dir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  serverExit = new Promise((resolve) => server.once('exit', (code, signal) => resolve({ code, signal })));
  server.stderr.setEncoding('utf8');
  server.stderr.on('data', (d) => { serverErr += d; });
  let out = '';
  server.stdout.setEncoding('utf8');
  const listening = new Promise((resolve, reject) => {
    server.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/^serving (http:\/\/127\.0\.0\.1:\d+)\/$/m);
      if (m) resolve(m[1]);
    });
    serverExit.then(({ code, signal }) =>
      reject(new Error(`the server exited (${code ?? signal}) before serving\n${out}\n${serverErr}`)));
  });
  return withTimeout(listening, START_TIMEOUT_MS, 'qorgan serve --demo').then((url) => {
    assert.match(out, /teacher\s+class_teacher of class 5А/, 'the demo says which class its teacher has');
    return url;
  });
}

async function stopServer() {
  if (!server || server.exitCode !== null || server.signalCode !== null) return serverExit ? serverExit : null;
  server.kill('SIGTERM');
  try {
    return await withTimeout(serverExit, STOP_TIMEOUT_MS, 'stopping the server');
  } catch (e) {
    server.kill('SIGKILL');
    throw e;
  }
}

process.on('exit', () => {
  if (server && server.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
});

before(async () => {
  if (!BIN || !existsSync(BIN)) throw new Error(`QORGAN_BIN is not set or missing: ${BIN}`);
  if (!ARTIFACTS) throw new Error('QORGAN_ARTIFACTS is not set');
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing (apt-get install chromium)`);
  mkdirSync(ARTIFACTS, { recursive: true });
  base = await startServer();
  browser = await withTimeout(chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    timeout: 60_000,
  }), 90_000, 'launching chromium');
}, { timeout: 200_000 });

after(async () => {
  try {
    if (browser) await withTimeout(browser.close(), 30_000, 'closing chromium').catch(() => {});
  } finally {
    const exit = await stopServer();
    try {
      assert.doesNotMatch(serverErr, SANITIZER, 'a sanitizer report from the server');
      if (exit) assert.deepEqual(exit, { code: 0, signal: null }, `the server's exit after SIGTERM\n${serverErr.slice(-3000)}`);
      assert.ok(!serverErr.includes(PASSWORD), 'the demo password is in the server log');
    } finally {
      if (dir) rmSync(dir, { recursive: true, force: true });
    }
  }
}, { timeout: 120_000 });

async function newPage(options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US', acceptDownloads: true, ...options });
  context.setDefaultTimeout(STEP_TIMEOUT_MS);
  context.setDefaultNavigationTimeout(STEP_TIMEOUT_MS);
  const page = await context.newPage();
  page.problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !/^Failed to load resource/.test(m.text())) page.problems.push(m.text());
  });
  page.on('pageerror', (e) => page.problems.push(String(e)));
  page.on('response', (r) => {
    if (r.status() >= 400 && r.request().resourceType() !== 'document' &&
        !r.url().endsWith('/favicon.ico')) page.problems.push(`${r.status()} ${r.url()}`);
  });
  return page;
}

async function signIn(page, login) {
  await page.goto(`${base}/login`);
  await page.fill('#login', login);
  await page.fill('#password', PASSWORD);
  await Promise.all([
    page.waitForURL(`${base}/`),
    page.click('form[action="/login"] button[type="submit"]'),
  ]);
}

async function assertNoOverflow(page) {
  const { scroll, inner, text } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    inner: window.innerWidth,
    text: document.body.innerText,
  }));
  assert.ok(scroll <= inner, `${page.url()}: the page is ${scroll}px wide in a ${inner}px window`);
  assert.ok(!/\{\{|\}\}/.test(text), `${page.url()} shows template text`);
}

// The week's chart and its table: at least one school day so far this week
// (Monday is one, whatever today is), every bar with a title.
async function assertWeek(page) {
  const chart = page.locator('main svg.chart-svg');
  assert.equal(await chart.count(), 1, 'one chart');
  assert.equal(await chart.getAttribute('role'), 'img');
  const bars = page.locator('main svg.chart-svg rect.bar-absent');
  assert.ok(await bars.count() >= 1, 'a bar for each school day so far');
  assert.equal(await page.locator('main svg.chart-svg g title').count(), await bars.count());
  assert.equal(await page.locator('main table caption').count(), 1, 'the table beside the chart');
  assert.equal(await page.locator('main table.register tbody tr').count(), 27, 'the register of 5А');
  assert.equal(await page.locator('main [style]').count(), 0, 'no style attribute (the CSP forbids them)');
}

test('desktop: the week of a class, its chart, and the XLSX download', TEST_TIMEOUT, async () => {
  const page = await newPage();
  try {
    await signIn(page, 'director');
    const r = await page.goto(`${base}${CLASS}/week`);
    assert.equal(r.status(), 200);
    await assertWeek(page);
    await assertNoOverflow(page);
    await page.screenshot({ path: path.join(ARTIFACTS, 'attendance-week-desktop.png'), fullPage: true });

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('main a[href*="attendance.xlsx"]'),
    ]);
    assert.match(download.suggestedFilename(), /^attendance-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const file = path.join(ARTIFACTS, 'attendance-week.xlsx');
    await download.saveAs(file);
    const bytes = readFileSync(file);
    assert.ok(bytes.length > 1000, 'a workbook, not an error page');
    assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK', 'an XLSX is a zip');

    // Previous week, then the month, through the links.
    await Promise.all([page.waitForURL(/\/week\?date=/), page.click('main a[rel="prev"]')]);
    assert.equal(await page.locator('main svg.chart-svg rect.bar-absent').count(), 5, 'a whole past week has five school days');
    await Promise.all([page.waitForURL(/\/month\?date=/), page.click('main p.views a[href*="/month?"]')]);
    const schoolDays = await page.locator('main table caption + thead + tbody tr', { hasText: 'School day' }).count();
    assert.ok(schoolDays >= 1, 'a month has school days');
    assert.equal(await page.locator('main svg.chart-svg rect.bar-absent').count(), schoolDays, 'a bar per school day');
    assert.deepEqual(page.problems, [], 'no console errors (a CSP violation would be one)');
  } finally {
    await page.context().close();
  }
});

test('phone: the month of a class and of the school fit 375 px', TEST_TIMEOUT, async () => {
  const page = await newPage({ viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true });
  try {
    await signIn(page, 'director');
    for (const p of [`${CLASS}/month`, '/school/demo/attendance/month', '/school/demo/calendar']) {
      const r = await page.goto(`${base}${p}`);
      assert.equal(r.status(), 200, p);
      await assertNoOverflow(page);
    }
    await page.screenshot({ path: path.join(ARTIFACTS, 'attendance-month-phone.png'), fullPage: true });
    assert.deepEqual(page.problems, []);
  } finally {
    await page.context().close();
  }
});

test('JavaScript off: the week is drawn by the server', TEST_TIMEOUT, async () => {
  const page = await newPage({ javaScriptEnabled: false });
  try {
    await signIn(page, 'teacher');
    const r = await page.goto(`${base}${CLASS}/week`);
    assert.equal(r.status(), 200);
    await assertWeek(page);
    // The date form is a plain GET form.
    await page.fill('#att-date', '2026-01-15');
    await Promise.all([page.waitForURL(/date=2026-01-15/), page.click('main form.inline button[type="submit"]')]);
    assert.match(await page.locator('main h1').innerText(), /5А/);
    // The class teacher of 5А has no other class.
    const other = await page.goto(`${base}${OTHER}/week`);
    assert.equal(other.status(), 403);
  } finally {
    await page.context().close();
  }
});
