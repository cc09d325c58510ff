// What every browser test shares: `qorgan serve --demo` on a fresh
// database and an ephemeral port, Debian's Chromium driven by
// playwright-core, and the checks of the server's log once it has stopped.
//
// Not a test itself: CMakeLists.txt registers tests/e2e/*.test.mjs only.
//
// Every wait is bounded; the server is killed whatever happens.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const BIN = process.env.QORGAN_BIN;
export const ARTIFACTS = process.env.QORGAN_ARTIFACTS;
const CHROMIUM = '/usr/bin/chromium';
export const PASSWORD = 'qorgan-demo-2026';
const START_TIMEOUT_MS = 90_000; // --demo hashes 15 passwords, imports 600
const STOP_TIMEOUT_MS = 30_000;
export const STEP_TIMEOUT_MS = 20_000;
export const TEST_TIMEOUT = { timeout: 180_000 };
// For before() and after(): starting covers the demo and Chromium's launch.
export const START_HOOK_TIMEOUT = { timeout: 200_000 };
export const STOP_HOOK_TIMEOUT = { timeout: 120_000 };

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 375, height: 667 };

// Markers of a sanitizer report in the server's stderr.
const SANITIZER = /AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error:/;

export function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

const running = new Set(); // servers started and not yet seen to exit

// The last resort: whatever happened, no server outlives the test run.
process.on('exit', () => {
  for (const server of running) if (server.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
});

// One demo server.  Made before the test file's before() so that after()
// can stop it and remove its directory even when starting failed halfway.
export class Demo {
  constructor(prefix) {
    this.prefix = prefix; // of the temporary directory, e.g. 'qorgan-e2e-kg-'
    this.dir = null;
    this.server = null;
    this.exit = null; // a promise of {code, signal}
    this.base = null; // http://127.0.0.1:PORT, once it serves
    this.out = ''; // what the demo printed: its logins and device tokens
    this.err = '';
  }

  get stderr() { return this.err; }

  // Resolves to the base URL once the server says "serving http://…/".
  start() {
    // A missing dependency fails the run; it never skips.
    if (!BIN || !existsSync(BIN)) throw new Error(`QORGAN_BIN is not set or missing: ${BIN}`);
    if (!ARTIFACTS) throw new Error('QORGAN_ARTIFACTS is not set');
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing (apt-get install chromium)`);
    mkdirSync(ARTIFACTS, { recursive: true });

    this.dir = mkdtempSync(path.join(tmpdir(), this.prefix));
    // The server must see only what it is given: no QORGAN_* of the runner.
    const env = { ...process.env };
    for (const k of Object.keys(env)) if (k.startsWith('QORGAN_')) delete env[k];
    const server = spawn(BIN, ['serve', '--listen', '127.0.0.1:0', '--demo', '--db', path.join(this.dir, 'demo.db')], {
      cwd: this.dir,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.server = server;
    running.add(server);
    this.exit = new Promise((resolve) => server.once('exit', (code, signal) => {
      running.delete(server);
      resolve({ code, signal });
    }));
    server.stderr.setEncoding('utf8');
    server.stderr.on('data', (d) => { this.err += d; });
    server.stdout.setEncoding('utf8');
    const listening = new Promise((resolve, reject) => {
      server.stdout.on('data', (d) => {
        this.out += d;
        const m = this.out.match(/^serving (http:\/\/127\.0\.0\.1:\d+)\/$/m);
        if (m) resolve(m[1]);
      });
      this.exit.then(({ code, signal }) =>
        reject(new Error(`the server exited (${code ?? signal}) before serving\n${this.out}\n${this.err}`)));
    });
    return withTimeout(listening, START_TIMEOUT_MS, 'qorgan serve --demo').then((url) => {
      this.base = url;
      return url;
    });
  }

  // SIGTERM, then SIGKILL if it does not exit in time; its {code, signal},
  // or null when it never started.
  async #stopServer() {
    const server = this.server;
    if (!server || server.exitCode !== null || server.signalCode !== null) return this.exit ? this.exit : null;
    server.kill('SIGTERM');
    try {
      return await withTimeout(this.exit, STOP_TIMEOUT_MS, 'stopping the server');
    } catch (e) {
      server.kill('SIGKILL');
      throw e;
    }
  }

  // For after(): closes the browser, stops the server and checks that it
  // exited cleanly and that its log keeps the privacy rule: no password,
  // and none of `secrets` (tokens, names, phones, IINs) of 6 or more
  // characters; shorter ones would match by chance.
  async stop(browser, secrets = []) {
    try {
      if (browser) await withTimeout(browser.close(), 30_000, 'closing chromium').catch(() => {});
    } finally {
      const exit = await this.#stopServer();
      try {
        const log = this.err;
        assert.doesNotMatch(log, SANITIZER, 'a sanitizer report from the server');
        if (exit) assert.deepEqual(exit, { code: 0, signal: null }, `the server's exit after SIGTERM\n${log.slice(-3000)}`);
        assert.ok(!log.includes(PASSWORD), 'the demo password is in the server log');
        for (const c of secrets) if (c && c.length >= 6) assert.ok(!log.includes(c), `the server log shows ${c.slice(0, 6)}…`);
      } finally {
        if (this.dir) rmSync(this.dir, { recursive: true, force: true });
      }
    }
  }
}

export function launchChromium() {
  return withTimeout(chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    timeout: 60_000,
  }), 90_000, 'launching chromium');
}

// A page in a context of its own, every step bounded; page.problems
// collects what must stay empty.
export async function newPage(browser, options = {}) {
  const context = await browser.newContext({ viewport: DESKTOP, locale: 'en-US', ...options });
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
  return page;
}

// Signs in through the form, as the demo's `login`; lands on the home page.
export async function signIn(page, base, login) {
  const r = await page.goto(`${base}/login`);
  assert.equal(r.status(), 200);
  await page.fill('#login', login);
  await page.fill('#password', PASSWORD);
  await Promise.all([
    page.waitForURL(`${base}/`),
    page.click('form[action="/login"] button[type="submit"]'),
  ]);
}

// Nothing sideways to scroll and no template text showing; with
// `standards`, also standards mode (a page whose doctype is not first falls
// into quirks mode).
export async function assertNoOverflow(page, { standards = false } = {}) {
  const { scroll, inner, mode, text } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    inner: window.innerWidth,
    mode: document.compatMode,
    text: document.body.innerText,
  }));
  assert.ok(scroll <= inner, `${page.url()}: the page is ${scroll}px wide in a ${inner}px window`);
  if (standards) assert.equal(mode, 'CSS1Compat', `${page.url()} renders in quirks mode`);
  assert.ok(!/\{\{|\}\}/.test(text), `${page.url()} shows template text: ${text.slice(0, 200)}`);
}
