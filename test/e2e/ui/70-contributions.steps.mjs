// The ways in that a model opens, as a person uses them: the editor's context menu (Classify Selection, Label Line
// As…), the keybinding of Label Line As… (Ctrl+K L), the Metrics view's title bar (Evaluate, whose dataset pick
// says "recently used" once; Train, then Cancel while it trains, with no notification for that cancel), and the
// Explorer, which offers no training on exported predictions. The model is the one the steps before left
// (60-correct-and-retrain: loop-train.csv), so these steps come last.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectPalette, explorerMenu } from './15-when-clauses.steps.mjs';
import { openFile, runFromPalette, waitForLines } from './workbench.mjs';

const FILE = 'loop-lines.txt';
const LINE = 'my parcel is late again';
const labelPick = (page) => page.locator('.quick-input-widget .quick-input-title', { hasText: /^Textcat: Label line \d+ as…$/ });
const titleAction = (page, title) => page.locator(`.part.sidebar .title-actions .action-label[aria-label^="${title}"]`);

/**
 * The notification center's messages, opened and closed with the status bar's bell: the palette would close at
 * once if a command moved the focus meanwhile (Evaluate shows the Metrics view when it is done).
 */
async function notifications(page) {
  const bell = page.locator('.part.statusbar [id="status.notifications"]');
  const center = page.locator('.notifications-center.visible');
  // The center hides itself when its last notification goes (a progress that just ended), so open it again if
  // it closed under the click; and a click that lands while the workbench is busy can be lost.
  for (let attempt = 0; !(await center.isVisible()); attempt++) {
    assert.ok(attempt < 6, 'the notification center does not open');
    await bell.click();
    await center.waitFor({ timeout: 3_000 }).catch(() => {});
  }
  const texts = (await center.locator('.notification-list-item').allTextContents()).map((t) => t.trim());
  // Closing likewise: the bell again, or Escape.
  for (let attempt = 0; await center.isVisible(); attempt++) {
    assert.ok(attempt < 6, 'the notification center does not close');
    await (attempt % 2 ? page.keyboard.press('Escape') : bell.click());
    await center.waitFor({ state: 'hidden', timeout: 3_000 }).catch(() => {});
  }
  return texts;
}

async function showMetricsView(page) {
  await runFromPalette(page, 'Textcat: Show Metrics', () => {});
  await page.locator('.part.sidebar .title-label', { hasText: 'Metrics' }).waitFor();
}

let settingsBefore;

export default [
  {
    name: 'editor context menu: "Classify Selection" and "Label Line As…" on a labeled line; Label Line As… asks for the class',
    async run(page, snap) {
      await openFile(page, FILE);
      await waitForLines(page, (ls) => ls.some((l) => l.text === LINE && l.labels.length === 1));
      await page.locator('.editor-instance .view-line', { hasText: LINE }).first().click({ button: 'right' });
      const items = page.locator('.context-view .monaco-menu .action-item .action-label');
      await items.first().waitFor();
      const titles = (await items.allTextContents()).map((t) => t.trim());
      for (const title of ['Classify Selection', 'Label Line As…']) assert.ok(titles.includes(title), `${title} in ${titles.join(' | ')}`);
      await snap('menu');
      await page.locator('.context-view .monaco-menu .action-label', { hasText: 'Label Line As…' }).click();
      await labelPick(page).waitFor();
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'shipping' }).first().waitFor();
      await snap('pick');
      await page.keyboard.press('Escape');
    },
  },
  {
    name: 'keybinding: Ctrl+K L on a line opens Label Line As…',
    async run(page, snap) {
      await page.locator('.editor-instance .view-line', { hasText: LINE }).first().click();
      await page.keyboard.press('Control+K');
      await page.keyboard.press('L');
      await labelPick(page).waitFor();
      await snap('pick');
      await page.keyboard.press('Escape');
    },
  },
  {
    name: 'Metrics view title bar: Train and Evaluate, no Cancel; Evaluate asks for a dataset ("recently used" said once) and evaluates it',
    async run(page, snap) {
      await showMetricsView(page);
      await titleAction(page, 'Train Classifier…').waitFor();
      await titleAction(page, 'Evaluate Model on Dataset…').waitFor();
      assert.equal(await titleAction(page, 'Cancel Training').count(), 0, 'no Cancel with nothing running');
      await snap('title-bar');
      await titleAction(page, 'Evaluate Model on Dataset…').click();
      await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Textcat: Evaluate Model on Dataset' }).waitFor();
      const rows = page.locator('.quick-input-list .monaco-list-row');
      await rows.filter({ hasText: 'loop-train.csv' }).first().waitFor();
      // Visible text only: rows the quick input reuses keep a hidden separator label.
      const recent = await page
        .locator('.quick-input-list')
        .getByText('recently used', { exact: true })
        .evaluateAll((list) => list.filter((el) => el.checkVisibility()).length);
      assert.equal(recent, 1, 'the separator says "recently used", the rows under it do not');
      await snap('pick');
      await page.locator('.quick-input-widget input').fill('loop-train.csv');
      await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: 'loop-train.csv' }).waitFor();
      await page.keyboard.press('Enter');
      await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
      const deadline = Date.now() + 15_000;
      while (!(await notifications(page)).some((t) => t.includes('Textcat on loop-train.csv: accuracy'))) {
        assert.ok(Date.now() < deadline, 'the evaluation was announced');
        await page.waitForTimeout(300);
      }
      await runFromPalette(page, 'Notifications: Clear All Notifications', () => {});
    },
  },
  {
    name: 'Metrics view title bar: Train; while it trains, Cancel in the title bar and the palette; Cancel stops it with no notification',
    async run(page, snap, { workspace }) {
      const settingsFile = join(workspace, '.vscode', 'settings.json');
      settingsBefore = readFileSync(settingsFile, 'utf8');
      // Long enough to be cancelled mid-run.
      const long = { 'textcat.training.epochs': 1000, 'textcat.training.patience': 0, 'textcat.training.hiddenUnits': 64 };
      writeFileSync(settingsFile, JSON.stringify({ ...JSON.parse(settingsBefore), ...long }, null, 2));
      await showMetricsView(page);
      await titleAction(page, 'Train Classifier…').click();
      await page.locator('.quick-input-widget input[placeholder^="Pick a labeled dataset"]').waitFor();
      // The dataset itself (not "Retrain on the same dataset", which would repeat the last run's options).
      await page
        .locator('.quick-input-list .monaco-list-row', { has: page.locator('.label-name', { hasText: 'loop-train.csv' }) })
        .first()
        .click();
      await page.locator('.part.statusbar .statusbar-item', { hasText: /Textcat: training \d+\/1000/ }).waitFor({ timeout: 30_000 });
      await titleAction(page, 'Cancel Training').waitFor();
      assert.equal(await titleAction(page, 'Train Classifier…').count(), 0, 'no Train while training');
      await snap('training');
      await expectPalette(page, 'Textcat: Cancel Training', true);
      await titleAction(page, 'Cancel Training').click();
      await page.locator('.part.statusbar', { hasText: 'Textcat training cancelled; the previous model is unchanged.' }).waitFor();
      await titleAction(page, 'Train Classifier…').waitFor();
      await snap('cancelled');
      const told = await notifications(page);
      assert.ok(!told.some((t) => /cancel/i.test(t)), `no notification for the cancel: ${told.join(' | ')}`);
      await expectPalette(page, 'Textcat: Cancel Training', false);
      writeFileSync(settingsFile, settingsBefore);
    },
  },
  {
    name: 'Explorer: no "Train Classifier…" on exported predictions (labels-lines.predictions.csv), but on loop-train.csv',
    async run(page) {
      await page.locator('.part.activitybar [aria-label^="Explorer"]').first().click();
      await page.locator('.part.sidebar .title-label', { hasText: 'Explorer' }).waitFor();
      const train = 'Train Classifier…';
      assert.ok((await explorerMenu(page, 'loop-train.csv')).includes(train));
      assert.ok(!(await explorerMenu(page, 'labels-lines.predictions.csv')).includes(train), 'written by Export Predictions');
      await runFromPalette(page, 'View: Close All Editors', () => {});
    },
  },
];
