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
import path from 'node:path';
import {
  Demo, ARTIFACTS, PASSWORD, TEST_TIMEOUT, START_HOOK_TIMEOUT, STOP_HOOK_TIMEOUT, PHONE,
  launchChromium, newPage as openPage, signIn as signInAs, assertNoOverflow as assertFits,
} from './demo.mjs';

const LOGOUT = { kk: 'Шығу', ru: 'Выйти', en: 'Log out' };
const SIGN_IN = { kk: 'Кіру', ru: 'Войти', en: 'Sign in' };

const demo = new Demo('qorgan-e2e-');
let base;
let browser;
const secrets = new Set(); // tokens and personal data: never in the log

before(async () => {
  base = await demo.start();
  assert.match(demo.out, /director/, 'the demo logins are printed');
  browser = await launchChromium();
}, START_HOOK_TIMEOUT);

after(() => demo.stop(browser, secrets), STOP_HOOK_TIMEOUT);

// --- Helpers --------------------------------------------------------------

async function newPage(options = {}) {
  const page = await openPage(browser, options);
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
  await signInAs(page, base, login);
  await assertNoOverflow(page);
}

async function logoutText(page) {
  return (await page.locator('form[action="/logout"] button').innerText()).trim();
}

// Every page: nothing sideways to scroll, standards mode, no template text.
async function assertNoOverflow(page) {
  await assertFits(page, { standards: true });
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
