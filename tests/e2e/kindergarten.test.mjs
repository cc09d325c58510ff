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
import path from 'node:path';
import {
  Demo, ARTIFACTS, TEST_TIMEOUT, START_HOOK_TIMEOUT, STOP_HOOK_TIMEOUT, PHONE as PHONE_VIEWPORT,
  launchChromium, newPage as openPage, signIn as signInAs, assertNoOverflow,
} from './demo.mjs';

const GRANDMOTHER = 'Сәуле Жұмабаева';
const PHONE = '+7 701 987 65 43';
const CARD = 'KG-E2E-0001';

const demo = new Demo('qorgan-e2e-kg-');
let base;
let browser;
// The privacy rule: no names, phones, identifier values or tokens in the log.
const secrets = new Set([GRANDMOTHER, '+77019876543', CARD]);

before(async () => {
  base = await demo.start();
  browser = await launchChromium();
}, START_HOOK_TIMEOUT);

after(() => demo.stop(browser, secrets), STOP_HOOK_TIMEOUT);

function newPage(options = {}) {
  return openPage(browser, options);
}

async function closePage(page) {
  for (const c of await page.context().cookies()) if (c.httpOnly) secrets.add(c.value);
  await page.context().close();
}

// Everything here is the director's.
function signIn(page) {
  return signInAs(page, base, 'director');
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
  const page = await newPage({ viewport: PHONE_VIEWPORT, isMobile: true, hasTouch: true });
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
