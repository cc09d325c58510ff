// Browser test of kindergarten mode: Debian's Chromium, driven by
// playwright-core, against `qorgan serve --demo` on a fresh database and an
// ephemeral port.
//
// What a director does: open a child's card, follow "Who brings and picks
// up", switch the school to kindergarten mode, add a grandmother who may
// pick the child up, bind her card, and see it all on the page, on a
// desktop and then on a phone (nothing may overflow sideways).
//
// Every wait is bounded; the server is killed whatever happens.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, existsSync } from 'node:fs';
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

const GRANDMOTHER = 'Сәуле Жұмабаева';
const PHONE = '+7 701 987 65 43';
const CARD = 'KG-E2E-0001';

// Markers of a sanitizer report in the server's stderr.
const SANITIZER = /AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error:/;

let dir;
let server;
let serverExit;
let serverErr = '';
let base;
let browser;
const secrets = new Set([GRANDMOTHER, '+77019876543', CARD]);

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
  dir = mkdtempSync(path.join(tmpdir(), 'qorgan-e2e-kg-'));
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
  return withTimeout(listening, START_TIMEOUT_MS, 'qorgan serve --demo');
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
  // A missing dependency fails the run; it never skips.
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
      // The privacy rule: no names, phones, identifier values or tokens.
      assert.ok(!serverErr.includes(PASSWORD), 'the demo password is in the server log');
      for (const c of secrets) if (c.length >= 6) assert.ok(!serverErr.includes(c), `the server log shows ${c.slice(0, 6)}…`);
    } finally {
      if (dir) rmSync(dir, { recursive: true, force: true });
    }
  }
}, { timeout: 120_000 });

async function newPage(options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US', ...options });
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

async function closePage(page) {
  for (const c of await page.context().cookies()) if (c.httpOnly) secrets.add(c.value);
  await page.context().close();
}

async function assertNoOverflow(page) {
  const { scroll, inner, text } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    inner: window.innerWidth,
    text: document.body.innerText,
  }));
  assert.ok(scroll <= inner, `${page.url()}: the page is ${scroll}px wide in a ${inner}px window`);
  assert.ok(!/\{\{|\}\}/.test(text), `${page.url()} shows template text: ${text.slice(0, 200)}`);
}

async function signIn(page) {
  await page.goto(`${base}/login`);
  await page.fill('#login', 'director');
  await page.fill('#password', PASSWORD);
  await Promise.all([page.waitForURL(`${base}/`), page.click('form[action="/login"] button[type="submit"]')]);
}

let escortsUrl;

test('a director switches kindergarten mode on and adds a grandmother with a card', TEST_TIMEOUT, async () => {
  const page = await newPage();
  try {
    await signIn(page);
    // School → a class → its first child → the child's escorts.
    await page.goto(`${base}/school/demo`);
    await Promise.all([page.waitForURL(/\/class\//), page.locator('main table a[href*="/class/"]').first().click()]);
    const child = page.locator('main table a[href*="/student/"]').first();
    secrets.add((await child.innerText()).trim());
    await Promise.all([page.waitForURL(/\/student\/[^/]+$/), child.click()]);
    await Promise.all([
      page.waitForURL(/\/student\/[^/]+\/escorts$/),
      page.click('a[href$="/escorts"]'),
    ]);
    escortsUrl = page.url();
    assert.equal((await page.locator('main h1').innerText()).trim(), 'Who brings and picks up');
    assert.match(await page.locator('main').innerText(), /not in kindergarten mode/);
    assert.equal(await page.locator('#full_name').count(), 0, 'no add form outside kindergarten mode');

    // The switch is on the same page for the director; the form posts
    // and comes back to this very URL, so wait for what it changes.
    await page.click('#kindergarten button[type="submit"]');
    await page.locator('#kindergarten', { hasText: 'Kindergarten mode is on.' }).waitFor();
    assert.equal(page.url(), escortsUrl);

    // Add her: may pick up, may not bring.
    await page.fill('#full_name', GRANDMOTHER);
    await page.fill('#phone', PHONE);
    await page.selectOption('#relation', 'grandmother');
    await page.uncheck('form[action$="/escorts"] input[name="may_bring"]');
    await page.click('form[action$="/escorts"] button[type="submit"]');
    const escort = page.locator('.escort', { hasText: GRANDMOTHER });
    await escort.waitFor();
    assert.equal(page.url(), escortsUrl);
    const text = await escort.innerText();
    assert.match(text, /Grandmother/);
    assert.match(text, /May pick up/);
    assert.match(text, /\+77019876543/);
    assert.equal(await escort.locator('input[name="may_bring"]').isChecked(), false);
    assert.equal(await escort.locator('input[name="may_pick_up"]').isChecked(), true);

    // Her card.
    await escort.locator('input[name="identifier"]').fill(CARD);
    await escort.locator('select[name="kind"]').selectOption('fob');
    await escort.locator('form[action$="/identifiers"] button[type="submit"]').click();
    const row = page.locator('.escort', { hasText: GRANDMOTHER }).locator('tbody tr', { hasText: CARD });
    await row.waitFor();
    assert.match(await row.innerText(), /fob/);
    assert.match(await row.innerText(), /Active/);
    assert.match(await page.locator('#handovers').innerText(), /Nobody has brought or picked up the child today\./);
    await assertNoOverflow(page);
    await page.screenshot({ path: path.join(ARTIFACTS, 'escorts-desktop.png'), fullPage: true });
    assert.deepEqual(page.problems, [], `console errors on ${page.url()}`);
  } finally {
    await closePage(page);
  }
});

test('the escorts page on a phone: 375×667, nothing overflows', TEST_TIMEOUT, async () => {
  assert.ok(escortsUrl, 'the first test found the page');
  const page = await newPage({ viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true });
  try {
    await signIn(page);
    await page.goto(escortsUrl);
    await page.locator('.escort', { hasText: GRANDMOTHER }).waitFor();
    await assertNoOverflow(page);
    await page.screenshot({ path: path.join(ARTIFACTS, 'escorts-phone.png'), fullPage: true });
    assert.deepEqual(page.problems, [], `console errors on ${page.url()}`);
  } finally {
    await closePage(page);
  }
});
