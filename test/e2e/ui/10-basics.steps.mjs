// The first UI steps: open the workbench and a file, label its lines, open the Textcat sidebar.
import assert from 'node:assert/strict';
import { FIXTURE_FILE, expectMetricsWebview, runFromPalette, waitForLines } from './workbench.mjs';

// What the extension's placeholder rule (src/extension/lineLabels.ts) shows: the first word, lower-cased.
const expectedLabel = (line) => line.trim().split(/\s+/, 1)[0]?.toLowerCase() || null;

export default [
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
