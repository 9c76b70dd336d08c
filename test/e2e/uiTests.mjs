// UI tests: a person's steps in the workbench, in order, each followed by a screenshot in test-results/e2e/.
// They share one page; a failed step stops the ones after it (they would depend on it).
import assert from 'node:assert/strict';
import { join } from 'node:path';

const FIXTURE_FILE = 'sample.txt';
const STEP_TIMEOUT_MS = 30_000;

// What the extension's placeholder rule (src/extension/lineLabels.ts) shows: the first word, lower-cased.
const expectedLabel = (line) => line.trim().split(/\s+/, 1)[0]?.toLowerCase() || null;

const steps = [
  {
    name: 'workbench opens the fixture folder',
    async run(page) {
      await page.locator('.monaco-workbench').waitFor();
      await page.locator('.explorer-folders-view').getByText(FIXTURE_FILE).waitFor();
    },
  },
  {
    name: `Quick Open (Ctrl+P) opens ${FIXTURE_FILE}`,
    async run(page, snap) {
      await page.keyboard.press('Control+P');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor();
      await input.fill(FIXTURE_FILE);
      await page.locator('.quick-input-list .monaco-list-row', { hasText: FIXTURE_FILE }).first().waitFor();
      await snap('quick-open');
      await page.keyboard.press('Enter');
      await page.locator('.tab.active', { hasText: FIXTURE_FILE }).waitFor();
      await page.locator('.editor-instance .view-lines', { hasText: 'Refund my order' }).waitFor();
    },
  },
  {
    name: 'palette: "Textcat: Toggle Line Labels" shows a label after each line',
    async run(page, snap) {
      await runFromPalette(page, 'Textcat: Toggle Line Labels', snap);
      const lines = await waitForLines(page, (ls) => ls.some((l) => l.labels.length > 0));
      for (const line of lines) {
        const expected = expectedLabel(line.text);
        assert.deepEqual(line.labels, expected ? [expected] : [], `labels of line "${line.text}"`);
      }
      assert.equal(lines.filter((l) => l.labels.length).length, 3, 'a label on each of the 3 non-empty lines of the fixture');
    },
  },
  {
    name: 'palette: "Textcat: Toggle Line Labels" again removes them',
    async run(page, snap) {
      await runFromPalette(page, 'Textcat: Toggle Line Labels', snap);
      await waitForLines(page, (ls) => ls.length > 0 && ls.every((l) => l.labels.length === 0));
    },
  },
  {
    name: 'Textcat activity-bar item shows the Metrics webview',
    async run(page) {
      await page.locator('.part.activitybar [aria-label="Textcat"], .part.activitybar [aria-label^="Textcat ("]').first().click();
      // A container with a single view shows its name in the sidebar title ("Textcat: Metrics").
      await page.locator('.part.sidebar .title-label', { hasText: 'Metrics' }).waitFor();
      await expectMetricsWebview(page);
    },
  },
  {
    name: 'palette: "Textcat: Show Metrics" brings the view back after switching to the Explorer',
    async run(page, snap) {
      await page.locator('.part.activitybar [aria-label^="Explorer"]').first().click();
      await page.locator('.part.sidebar .title-label', { hasText: 'Explorer' }).waitFor();
      await runFromPalette(page, 'Textcat: Show Metrics', snap);
      await page.locator('.part.sidebar .title-label', { hasText: 'Metrics' }).waitFor();
      await expectMetricsWebview(page);
    },
  },
];

/** The Metrics webview is a frame inside the frame of iframe.webview; its script marks the body when it ran. */
async function expectMetricsWebview(page) {
  const view = page.frameLocator('iframe.webview').frameLocator('iframe');
  await view.locator('body[data-ready="true"]').waitFor();
  assert.equal((await view.locator('h2').textContent())?.trim(), 'Textcat metrics');
  assert.equal((await view.locator('#status').textContent())?.trim(), 'No model trained yet');
}

/** Opens the command palette (F1), types the command's title, waits for it in the list, and runs it. */
async function runFromPalette(page, title, snap) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
  await snap('palette');
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}

/** The editor's visible lines, top to bottom, each with the ::after contents of its spans (the decorations). */
async function readLines(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('.editor-instance .view-lines .view-line')]
      .map((line) => ({
        top: parseFloat(line.style.top) || 0,
        text: line.textContent.replace(/\u00a0/g, ' ').trimEnd(),
        labels: [...line.querySelectorAll('span')]
          .map((span) => getComputedStyle(span, '::after').content)
          .filter((c) => c && c !== 'none' && c !== 'normal')
          .map((c) => c.replace(/^"|"$/g, '')),
      }))
      .sort((a, b) => a.top - b.top)
      .map(({ text, labels }) => ({ text, labels })),
  );
}

async function waitForLines(page, predicate) {
  const deadline = Date.now() + 10_000;
  let lines = await readLines(page);
  while (!predicate(lines)) {
    if (Date.now() > deadline) assert.fail(`editor lines did not reach the expected state: ${JSON.stringify(lines)}`);
    await page.waitForTimeout(100);
    lines = await readLines(page);
  }
  return lines;
}

/** Runs the steps in one page; returns the number of failed steps (a failed step skips the rest). */
export async function runUiTests({ browser, url, screenshots }) {
  const page = await browser.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT_MS);
  await page.goto(url);
  const count = { passed: 0, failed: 0, skipped: 0 };
  for (const [i, step] of steps.entries()) {
    const slug = step.name.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').toLowerCase();
    const shot = join(screenshots, `${String(i + 1).padStart(2, '0')}-${slug}`);
    if (count.failed) {
      count.skipped++;
      console.log(`  - ${step.name} (skipped)`);
      continue;
    }
    const start = performance.now();
    const snap = (moment) => page.screenshot({ path: `${shot}-${moment}.png` });
    try {
      await step.run(page, snap);
      await page.screenshot({ path: `${shot}.png` });
      count.passed++;
      console.log(`  ✓ ${step.name} (${((performance.now() - start) / 1000).toFixed(1)} s)`);
    } catch (e) {
      count.failed++;
      await page.screenshot({ path: `${shot}-FAILED.png` }).catch(() => {});
      console.error(`  ✗ ${step.name}\n    ${String(e.message ?? e).split('\n').join('\n    ')}`);
    }
  }
  await page.close();
  console.log(`  UI steps: ${count.passed} passed, ${count.failed} failed, ${count.skipped} skipped; screenshots in test-results/e2e/`);
  return { failures: count.failed };
}
