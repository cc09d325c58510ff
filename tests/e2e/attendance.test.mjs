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
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  Demo, ARTIFACTS, TEST_TIMEOUT, START_HOOK_TIMEOUT, STOP_HOOK_TIMEOUT, PHONE,
  launchChromium, newPage as openPage, signIn as signInAs, assertNoOverflow,
} from './demo.mjs';

// The demo binds its class teacher to 5А (src/demo/demo.c).
const CLASS = `/school/demo/class/${encodeURIComponent('5А')}/attendance`;
const OTHER = `/school/demo/class/${encodeURIComponent('5Б')}/attendance`;

const demo = new Demo('qorgan-e2e-att-');
let base;
let browser;

before(async () => {
  base = await demo.start();
  assert.match(demo.out, /teacher\s+class_teacher of class 5А/, 'the demo says which class its teacher has');
  browser = await launchChromium();
}, START_HOOK_TIMEOUT);

after(() => demo.stop(browser), STOP_HOOK_TIMEOUT);

// The XLSX link downloads; the context must accept it.
function newPage(options = {}) {
  return openPage(browser, { acceptDownloads: true, ...options });
}

function signIn(page, login) {
  return signInAs(page, base, login);
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
  const page = await newPage({ viewport: PHONE, isMobile: true, hasTouch: true });
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
