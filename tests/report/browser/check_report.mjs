// Opens an HTML report in Debian's headless Chromium (never a downloaded
// browser) and checks it as a person would: the failed test is shown failed
// with its message, clicking the node's console opens it and shows a known
// line, the search box filters. The defaults describe a run of
// tests/report/browser/failing.rig; another suite's run names its own:
//
//   node check_report.mjs REPORT.html SCREENSHOT.png [--node N] [--failed NAME]
//        [--failed-shows TEXT] [--passed NAME] [--marker LINE] [--suites COUNT]
//
// With several suites in the page (a merged report), --suites is how many
// it must show; the timeline and console checks look at the suite of the
// failed test.
import { chromium } from 'playwright-core';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [report, screenshot, ...rest] = process.argv.slice(2);
const want = {
  node: 'm',
  failed: 'a list that differs',
  'failed-shows': '"gamma"',
  passed: 'writes a marker on the console',
  marker: 'rig-html-marker-4711',
  suites: '',
};
for (let i = 0; i < rest.length; i += 2) {
  const key = rest[i].replace(/^--/, '');
  if (!(key in want) || i + 1 >= rest.length) {
    console.error(`check_report.mjs: unknown or incomplete option ${rest[i]}`);
    process.exit(2);
  }
  want[key] = rest[i + 1];
}
const executablePath = '/usr/bin/chromium';
if (!report || !screenshot) {
  console.error('usage: node check_report.mjs REPORT.html SCREENSHOT.png');
  process.exit(2);
}
if (!existsSync(executablePath)) {
  console.error(`${executablePath} is missing: apt-get install chromium (scripts/setup does)`);
  process.exit(1);
}

const problems = [];
function check(ok, what) {
  console.log(`${ok ? 'ok' : 'NOT OK'} - ${what}`);
  if (!ok) problems.push(what);
}

const profile = mkdtempSync(join(tmpdir(), 'rig-report-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath,
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
         '--disable-component-update', '--disable-sync', '--no-first-run'],
  viewport: { width: 1280, height: 900 },
});
try {
  const page = context.pages()[0] ?? await context.newPage();
  const fetched = [];
  page.on('request', (r) => fetched.push(r.url()));
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(pathToFileURL(resolve(report)).href);

  // The summary and the failed test.
  const header = page.locator('header.run');
  check((await header.innerText()).includes('rig run failed'), 'the summary says the run failed');
  const failed = page.locator('details.test.failed', { hasText: want.failed });
  check(await failed.count() === 1, 'the failing test is shown as failed');
  check(await failed.locator('.pill.failed').isVisible(), 'its status pill is visible');
  check(await failed.locator('.failure .message').isVisible() &&
        (await failed.locator('.failure .message').innerText()).startsWith('expect failed'),
        'its failure message is visible');
  check((await failed.locator('.failure').innerText()).includes(want['failed-shows']),
        'the failure shows the expected value');
  const passed = page.locator('details.test.passed', { hasText: want.passed });
  check(await passed.count() === 1, 'the passing test is shown as passed');
  if (want.suites) {
    const count = await page.locator('section.suite').count();
    check(count === Number(want.suites), `the page shows ${want.suites} suites (${count})`);
  }
  // The suite of the failed test.
  const suite = page.locator('section.suite', { has: failed });

  // The timeline: a lane for node m with a boot bar and steps.
  const svg = suite.locator('.timeline svg');
  check(await svg.count() === 1 && await svg.isVisible(), 'the timeline is drawn');
  check(await svg.locator('a.lane-console text', { hasText: want.node }).count() === 1,
        `the timeline has a lane for node ${want.node}`);
  check(await svg.locator('rect.step.wait').count() >= 1, 'a wait is drawn as a wait');
  check(await svg.locator('rect.step.bad').count() >= 1, 'the failing step is drawn as failed');

  // The console: closed at first; clicking it shows the marker line.
  const marker = want.marker;
  const consoleBox = suite.locator('details.console').first();
  const line = consoleBox.locator('.ln', { hasText: marker }).first();
  check(!(await line.isVisible()), 'the console starts closed');
  await consoleBox.locator('summary').click();
  check(await consoleBox.evaluate((d) => d.open), 'clicking the console opens it');
  await line.scrollIntoViewIfNeeded();
  check(await line.isVisible(), `the console shows the line "${marker}"`);

  // The search box: only matching lines remain, the match is highlighted.
  const total = await consoleBox.locator('.ln').count();
  await consoleBox.locator('input[type=search]').fill(marker);
  const shown = await consoleBox.locator('.ln:not([hidden])').count();
  check(shown >= 1 && shown < total, `searching leaves ${shown} of ${total} lines`);
  check(await consoleBox.locator('.ln:not([hidden]) mark', { hasText: marker }).count() >= 1,
        'the match is highlighted');
  check((await consoleBox.locator('.shown').innerText()).includes('match'),
        'the search says how many lines match');

  await failed.scrollIntoViewIfNeeded();
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: screenshot, fullPage: true });
  console.log(`screenshot: ${resolve(screenshot)}`);

  check(errors.length === 0, `no script errors (${errors.join('; ')})`);
  const remote = fetched.filter((u) => !u.startsWith('file:'));
  check(remote.length === 0, `nothing is fetched from the network (${remote.join(', ')})`);
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
console.log(`${problems.length ? 'FAILED' : 'PASSED'}: ${problems.length} problem(s)`);
process.exit(problems.length ? 1 : 0);
