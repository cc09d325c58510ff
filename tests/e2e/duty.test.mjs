// Browser test of the duty roster and alarms: Debian's Chromium, driven by
// playwright-core, against `qorgan serve --demo` on a fresh database.
//
// What a person does: the demo gate reports a forced passage; whoever is
// on duty now (the demo puts the deputy on this week's day shifts and
// security on the nights) finds it in the notices and on the school's
// alarm page, acknowledges it with one button, and sees who did; then
// opens the week's roster and finds the deputy on it.  On a phone too,
// where nothing may overflow sideways.
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
const PHONE = { width: 375, height: 667 };
const SANITIZER = /AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error:/;

let dir;
let server;
let serverExit;
let serverErr = '';
let base;
let gateToken;
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
  dir = mkdtempSync(path.join(tmpdir(), 'qorgan-e2e-duty-'));
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
    // The demo prints the gate's token once: "  gate  Main entrance   TOKEN".
    const m = out.match(/^\s+gate\s+Main entrance\s+(\S+)$/m);
    assert.ok(m, `the demo prints the gate's token\n${out}`);
    gateToken = m[1];
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
      if (gateToken) assert.ok(!serverErr.includes(gateToken), 'the gate token is in the server log');
    } finally {
      if (dir) rmSync(dir, { recursive: true, force: true });
    }
  }
}, { timeout: 120_000 });

// --- Helpers --------------------------------------------------------------

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

async function raiseAlarm(kind, seq) {
  const r = await withTimeout(fetch(`${base}/api/v1/alarms`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${gateToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ kind, at: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), seq }),
  }), STEP_TIMEOUT_MS, 'POST /api/v1/alarms');
  const text = await r.text();
  assert.equal(r.status, 200, text);
  return JSON.parse(text).alarm;
}

// Who is on duty at the demo school now, asked over the API as the director.
async function onDutyNow() {
  const post = await withTimeout(fetch(`${base}/api/v1/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ login: 'director', password: PASSWORD }),
  }), STEP_TIMEOUT_MS, 'POST /api/v1/session');
  assert.equal(post.status, 201);
  const { token } = await post.json();
  const r = await withTimeout(fetch(`${base}/api/v1/schools/demo/duty`, {
    headers: { Authorization: `Bearer ${token}` },
  }), STEP_TIMEOUT_MS, 'GET /api/v1/schools/demo/duty');
  assert.equal(r.status, 200);
  const roster = await r.json();
  assert.equal(roster.on_duty.length, 1, JSON.stringify(roster.on_duty));
  return roster.on_duty[0].user;
}

// --- Tests ----------------------------------------------------------------

test('the person on duty acknowledges a forced gate', TEST_TIMEOUT, async () => {
  const who = await onDutyNow();
  assert.ok(['deputy', 'security'].includes(who), who);
  const alarm = await raiseAlarm('forced', 1);
  const page = await newPage();
  try {
    await signIn(page, who);
    // The notice is in the inbox, urgent.
    await page.goto(`${base}/notices`);
    assert.match(await page.locator('main').innerText(), /A gate was forced open/);

    await page.goto(`${base}/school/demo/alarms`);
    const open = page.locator(`#alarm-${alarm}`);
    assert.match(await open.innerText(), /Forced passage/);
    assert.match(await open.innerText(), /Main entrance/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'alarms-open.png'), fullPage: true });
    await Promise.all([
      page.waitForURL(`${base}/school/demo/alarms`),
      open.locator('button', { hasText: 'Acknowledge' }).click(),
    ]);
    // Gone from the open ones, shown with who acknowledged it.
    assert.equal(await page.locator(`form[action="/school/demo/alarms/${alarm}/acknowledge"]`).count(), 0);
    assert.match(await page.locator(`#alarm-${alarm}`).innerText(), new RegExp(`Acknowledged by ${who}`));
    assert.match(await page.locator('main').innerText(), /No open alarms\./);
    await page.screenshot({ path: path.join(ARTIFACTS, 'alarms-acknowledged.png'), fullPage: true });

    // The roster of this week has the deputy on it, and says so now.
    await page.goto(`${base}/school/demo/duty`);
    // The deputy edits it (a select per person), security reads it.
    const selected = await page.locator('select option[value="deputy"][selected]').count();
    const listed = await page.locator('.duty-person', { hasText: 'deputy (' }).count();
    assert.ok((who === 'deputy' ? selected : listed) >= 1, 'the deputy is on this week\'s roster');
    assert.match(await page.locator('[role="status"]').first().innerText(), /On duty now/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'duty-desktop.png'), fullPage: true });
    assert.deepEqual(page.problems, [], `console errors on ${page.url()}`);
  } finally {
    await page.context().close();
  }
});

test('phone: alarms and roster fit 375 px, acknowledging works', TEST_TIMEOUT, async () => {
  const alarm = await raiseAlarm('tampered', 2);
  const page = await newPage({ viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  try {
    await signIn(page, 'security');
    await page.goto(`${base}/school/demo/duty`);
    await assertNoOverflow(page);
    await page.screenshot({ path: path.join(ARTIFACTS, 'duty-phone.png'), fullPage: true });
    await page.goto(`${base}/school/demo/alarms`);
    await assertNoOverflow(page);
    await Promise.all([
      page.waitForURL(`${base}/school/demo/alarms`),
      page.locator(`#alarm-${alarm} button`).click(),
    ]);
    assert.match(await page.locator(`#alarm-${alarm}`).innerText(), /Acknowledged by security/);
    assert.deepEqual(page.problems, [], `console errors on ${page.url()}`);
  } finally {
    await page.context().close();
  }
});
