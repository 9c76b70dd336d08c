// The first UI steps: open the workbench and a file, open the Textcat sidebar.
// (Inline labels need a model: their steps are in 30-line-labels.steps.mjs, after training.)
import { FIXTURE_FILE, expectMetricsWebview, runFromPalette } from './workbench.mjs';

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
