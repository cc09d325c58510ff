// Browser tests: Debian's Chromium, driven by playwright-core, against
// `qorgan serve --demo` on a fresh database and an ephemeral port.
//
// What a person does: sign in through the form, switch the language, open
// the school, a class and a student's card, on a desktop and on a phone
// (375×667, nothing may overflow sideways), with JavaScript off too, and
// sign out.  Screenshots of the main pages go to $QORGAN_ARTIFACTS.
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

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 375, height: 667 };
const LOGOUT = { kk: 'Шығу', ru: 'Выйти', en: 'Log out' };
const SIGN_IN = { kk: 'Кіру', ru: 'Войти', en: 'Sign in' };

// Markers of a sanitizer report in the server's stderr.
const SANITIZER = /AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error:/;

let dir;
let server;
let serverExit; // a promise of {code, signal}
let serverErr = '';
let base;
let browser;
const secrets = new Set(); // tokens and personal data: never in the log

function requireSetup() {
  // A missing dependency fails the run; it never skips.
  if (!BIN || !existsSync(BIN)) throw new Error(`QORGAN_BIN is not set or missing: ${BIN}`);
  if (!ARTIFACTS) throw new Error('QORGAN_ARTIFACTS is not set');
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing (apt-get install chromium)`);
  mkdirSync(ARTIFACTS, { recursive: true });
}

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
  dir = mkdtempSync(path.join(tmpdir(), 'qorgan-e2e-'));
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
    assert.match(out, /director/, 'the demo logins are printed');
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

// The last resort: whatever happened, no server outlives the test run.
process.on('exit', () => {
  if (server && server.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
});

before(async () => {
  requireSetup();
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
      // The privacy rule: no passwords, tokens, names or IINs in the log.
      assert.ok(!serverErr.includes(PASSWORD), 'the demo password is in the server log');
      for (const c of secrets) if (c.length >= 6) assert.ok(!serverErr.includes(c), `the server log shows ${c.slice(0, 6)}…`);
    } finally {
      if (dir) rmSync(dir, { recursive: true, force: true });
    }
  }
}, { timeout: 120_000 });

// --- Helpers --------------------------------------------------------------

async function newPage(options = {}) {
  const context = await browser.newContext({
    viewport: DESKTOP,
    locale: 'en-US',
    ...options,
  });
  context.setDefaultTimeout(STEP_TIMEOUT_MS);
  context.setDefaultNavigationTimeout(STEP_TIMEOUT_MS);
  const page = await context.newPage();
  // CSP violations and script errors show up here; there must be none.
  page.problems = [];
  // A failed sub-resource is reported by its URL below, not by the console.
  page.on('console', (m) => {
    if (m.type() === 'error' && !/^Failed to load resource/.test(m.text())) page.problems.push(m.text());
  });
  page.on('pageerror', (e) => page.problems.push(String(e)));
  page.on('response', (r) => {
    // Chromium asks for /favicon.ico by itself; the pages link none.
    if (r.status() >= 400 && r.request().resourceType() !== 'document' &&
        !r.url().endsWith('/favicon.ico')) page.problems.push(`${r.status()} ${r.url()}`);
  });
  page.on('requestfailed', (r) => page.problems.push(`failed ${r.url()}: ${r.failure()?.errorText}`));
  return page;
}

async function closePage(page) {
  for (const c of await page.context().cookies()) if (c.httpOnly) secrets.add(c.value);
  await page.context().close();
}

async function shot(page, name) {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

async function signIn(page, login = 'director') {
  const r = await page.goto(`${base}/login`);
  assert.equal(r.status(), 200);
  await page.fill('#login', login);
  await page.fill('#password', PASSWORD);
  await Promise.all([
    page.waitForURL(`${base}/`),
    page.click('form[action="/login"] button[type="submit"]'),
  ]);
  await assertNoOverflow(page);
}

async function logoutText(page) {
  return (await page.locator('form[action="/logout"] button').innerText()).trim();
}

// Every page: nothing sideways to scroll, standards mode (a page whose
// doctype is not first falls into quirks mode), no template text showing.
async function assertNoOverflow(page) {
  const { scroll, inner, mode, text } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    inner: window.innerWidth,
    mode: document.compatMode,
    text: document.body.innerText,
  }));
  assert.ok(scroll <= inner, `${page.url()}: the page is ${scroll}px wide in a ${inner}px window`);
  assert.equal(mode, 'CSS1Compat', `${page.url()} renders in quirks mode`);
  assert.ok(!/\{\{|\}\}/.test(text), `${page.url()} shows template text: ${text.slice(0, 200)}`);
}

async function assertNoProblems(page) {
  assert.deepEqual(page.problems, [], `console errors on ${page.url()}`);
}

// Home → school → a class → a student, checking each; returns their URLs.
async function walk(page, suffix) {
  const urls = {};
  await page.goto(`${base}/`);
  await assertNoOverflow(page);
  await shot(page, `home-${suffix}`);

  await page.goto(`${base}/school`);
  assert.match(page.url(), /\/school\/demo$/, 'a one-school user lands on the school');
  await assert.doesNotReject(page.locator('h1').first().waitFor());
  assert.match(await page.locator('h1').first().innerText(), /Демо/);
  const classLinks = page.locator('main table a[href*="/class/"]');
  assert.ok(await classLinks.count() >= 11, 'classes of grades 1 to 11');
  await assertNoOverflow(page);
  await shot(page, `school-${suffix}`);
  urls.school = page.url();

  await Promise.all([page.waitForURL(/\/class\//), classLinks.first().click()]);
  const studentLinks = page.locator('main table a[href*="/student/"]');
  assert.ok(await studentLinks.count() >= 10, 'a class has its students');
  await assertNoOverflow(page);
  await shot(page, `class-${suffix}`);
  urls.class = page.url();

  const name = (await studentLinks.first().innerText()).trim();
  await Promise.all([page.waitForURL(/\/student\//), studentLinks.first().click()]);
  assert.equal((await page.locator('main h1').first().innerText()).trim(), name);
  secrets.add(name);
  // The card shows guardians (with a phone link) and the consent table.
  const guardians = page.locator('main section', { has: page.locator('h2', { hasText: 'Guardians' }) });
  assert.ok(await guardians.locator('tbody tr').count() >= 1, 'the card lists guardians');
  assert.ok(await guardians.locator('a[href^="tel:+"]').count() >= 1, 'a guardian phone link');
  for (const g of await guardians.locator('tbody th').allInnerTexts()) secrets.add(g.trim());
  for (const t of (await page.locator('main').innerText()).match(/\b\d{12}\b/g) ?? []) secrets.add(t);
  const consent = page.locator('#consent');
  assert.equal(await consent.locator('tbody').first().locator('tr').count(), 3,
    'consent for data, notifications and biometrics');
  assert.match(await consent.innerText(), /Data processing/);
  await assertNoOverflow(page);
  await shot(page, `student-${suffix}`);
  urls.student = page.url();
  return urls;
}

// --- Tests ----------------------------------------------------------------

test('desktop: sign in, switch language, school, class, student, sign out', TEST_TIMEOUT, async () => {
  const page = await newPage();
  try {
    await page.goto(`${base}/login`);
    await shot(page, 'login-desktop');
    await signIn(page);
    assert.match(await page.locator('.user-login').innerText(), /director/);
    await shot(page, 'home-desktop');

    // kk → ru → en: the page is the same, its words change.
    for (const lang of ['kk', 'ru', 'en']) {
      await Promise.all([
        page.waitForURL(`${base}/`),
        page.click(`form.lang button[value="${lang}"]`),
      ]);
      assert.equal(await page.getAttribute('html', 'lang'), lang);
      assert.equal(await logoutText(page), LOGOUT[lang], `the log-out button in ${lang}`);
    }

    // The language sticks to the page the person was on.
    await page.goto(`${base}/school/demo`);
    await Promise.all([page.waitForURL(`${base}/school/demo`), page.click('form.lang button[value="ru"]')]);
    assert.equal(await logoutText(page), LOGOUT.ru);
    await Promise.all([page.waitForURL(`${base}/school/demo`), page.click('form.lang button[value="en"]')]);

    const urls = await walk(page, 'desktop');
    await assertNoProblems(page);

    // A class's path has a Cyrillic letter; switching language returns there.
    await page.goto(urls.class);
    const heading = await page.locator('main h1').first().innerText();
    await Promise.all([page.waitForURL(urls.class), page.click('form.lang button[value="kk"]')]);
    assert.equal(await logoutText(page), LOGOUT.kk);
    assert.equal((await page.locator('main h1').first().innerText()).split(' ').pop(),
      heading.split(' ').pop(), 'the same class after switching language');
    await Promise.all([page.waitForURL(urls.class), page.click('form.lang button[value="en"]')]);

    // Signing out ends the session: the pages ask for a login again.
    await Promise.all([page.waitForURL(/\/login/), page.click('form[action="/logout"] button')]);
    const r = await page.goto(`${base}/school/demo`);
    assert.match(page.url(), /\/login/, 'after logout the school page needs a login');
    assert.equal(r.status(), 200);
    await assertNoProblems(page);
  } finally {
    await closePage(page);
  }
});

test('phone: 375×667, nothing overflows sideways', TEST_TIMEOUT, async () => {
  const page = await newPage({ viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  try {
    await page.goto(`${base}/login`);
    await assertNoOverflow(page);
    await shot(page, 'login-phone');
    await signIn(page);
    await walk(page, 'phone');
    for (const p of [`${base}/school/demo/roster`, `${base}/audit`]) {
      await page.goto(p);
      await assertNoOverflow(page);
    }
    await assertNoProblems(page);
  } finally {
    await closePage(page);
  }
});

test('JavaScript off: sign in, open a student, switch language, sign out', TEST_TIMEOUT, async () => {
  const page = await newPage({ javaScriptEnabled: false });
  try {
    await signIn(page, 'psychologist');
    assert.equal(await logoutText(page), LOGOUT.en);
    const urls = await walk(page, 'nojs');
    await Promise.all([page.waitForURL(urls.student), page.click('form.lang button[value="kk"]')]);
    assert.equal(await logoutText(page), LOGOUT.kk);
    await Promise.all([page.waitForURL(/\/login/), page.click('form[action="/logout"] button')]);
  } finally {
    await closePage(page);
  }
});

test("the browser's language is the default", TEST_TIMEOUT, async () => {
  for (const [locale, lang] of [['kk-KZ', 'kk'], ['ru-RU', 'ru'], ['en-GB', 'en']]) {
    const page = await newPage({ locale });
    try {
      await page.goto(`${base}/login`);
      assert.equal(await page.getAttribute('html', 'lang'), lang, locale);
      const button = page.locator('form[action="/login"] button[type="submit"]');
      assert.equal((await button.innerText()).trim(), SIGN_IN[lang], locale);
    } finally {
      await closePage(page);
    }
  }
});

test('a wrong password shows the form again, with a message', TEST_TIMEOUT, async () => {
  const page = await newPage();
  try {
    await page.goto(`${base}/login`);
    await page.fill('#login', 'director');
    await page.fill('#password', 'not-the-password');
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url() === `${base}/login` && r.request().method() === 'POST'),
      page.click('form[action="/login"] button[type="submit"]'),
    ]);
    assert.equal(response.status(), 401);
    await page.locator('[role="alert"]').waitFor();
    assert.equal(await page.inputValue('#login'), 'director');
    assert.equal(await page.inputValue('#password'), '');
    // And the right one still works from the same form.
    await page.fill('#password', PASSWORD);
    await Promise.all([page.waitForURL(`${base}/`), page.click('form[action="/login"] button[type="submit"]')]);
  } finally {
    await closePage(page);
  }
});

test("a cashier cannot open a student's card", TEST_TIMEOUT, async () => {
  const page = await newPage();
  try {
    await signIn(page, 'cashier');
    const r = await page.goto(`${base}/school/demo/student/S000001`);
    assert.equal(r.status(), 403);
    assert.equal(await page.locator('main table').count(), 0);
    await shot(page, 'forbidden-desktop');
  } finally {
    await closePage(page);
  }
});
