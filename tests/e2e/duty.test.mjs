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
import path from 'node:path';
import {
  Demo, ARTIFACTS, PASSWORD, STEP_TIMEOUT_MS, TEST_TIMEOUT, START_HOOK_TIMEOUT, STOP_HOOK_TIMEOUT, PHONE,
  withTimeout, launchChromium, newPage as openPage, signIn as signInAs, assertNoOverflow,
} from './demo.mjs';

const demo = new Demo('qorgan-e2e-duty-');
let base;
let gateToken;
let browser;

before(async () => {
  base = await demo.start();
  // The demo prints the gate's token once: "  gate  Main entrance   TOKEN".
  const m = demo.out.match(/^\s+gate\s+Main entrance\s+(\S+)$/m);
  assert.ok(m, `the demo prints the gate's token\n${demo.out}`);
  gateToken = m[1];
  browser = await launchChromium();
}, START_HOOK_TIMEOUT);

// The gate's token is a secret too: never in the log.
after(() => demo.stop(browser, [gateToken]), STOP_HOOK_TIMEOUT);

// --- Helpers --------------------------------------------------------------

function newPage(options = {}) {
  return openPage(browser, options);
}

function signIn(page, login) {
  return signInAs(page, base, login);
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
