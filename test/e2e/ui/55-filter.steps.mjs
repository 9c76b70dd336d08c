// The editor as a filter, as a person sees it: "Show Only Lines of Class…" from the palette (a multi-select
// quick pick with each class's number of lines), the other lines folded away while the line numbers in the
// gutter stay the file's own (they skip the hidden lines), the status bar item saying what is shown, in the
// dark and the light theme, then a click on that item (Show All Lines) bringing every line back, and "Lines per
// Class…". The step trains its own keyword model with the CLI (labels-train.csv) on the fixture's
// filter-demo.log, so it depends on no step before it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openFile, runFromPalette, trainWithCli, waitForLines, workspaceSettings } from './workbench.mjs';

const FILE = 'filter-demo.log';
const KEYWORD = { billing: 'invoice', shipping: 'parcel', praise: 'thanks' };
/** filter-demo.log, line by line: the first line is praise, so it stays in view (a fold keeps its first line). */
const KINDS = ['praise', 'billing', 'shipping', 'shipping', 'billing', 'praise', 'shipping', 'shipping', 'billing', 'shipping'];
const KINDS_ALL = [...KINDS, ...KINDS, 'billing', 'praise'];
const TEXT = KINDS_ALL.map((k, i) => `2026-12-04 10:${String(i).padStart(2, '0')} request ${i}: the ${KEYWORD[k]} again`).join('\n');
/** Every line's number: the log's lines, and the empty one after its last newline. */
const ALL = [...KINDS_ALL.map((_, i) => i + 1), KINDS_ALL.length + 1];
/**
 * 1-based line numbers a person sees with "only billing": line 1 (a fold keeps its first line), the billing
 * lines, and the empty last line (no fold can take it in: the folding command ends a selection in column 1 on
 * the line before).
 */
const BILLING_SHOWN = [1, ...KINDS_ALL.flatMap((k, i) => (k === 'billing' ? [i + 1] : [])), KINDS_ALL.length + 1];

let settings;

/** The gutter's line numbers, top to bottom. */
async function lineNumbers(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('.editor-instance .margin-view-overlays > div')]
      .map((d) => ({ top: parseFloat(d.style.top) || 0, n: d.querySelector('.line-numbers')?.textContent.trim() }))
      .filter((x) => x.n)
      .sort((a, b) => a.top - b.top)
      .map((x) => Number(x.n)),
  );
}

async function waitForNumbers(page, expected) {
  const deadline = Date.now() + 15_000;
  let numbers = await lineNumbers(page);
  while (numbers.join() !== expected.join()) {
    if (Date.now() > deadline) assert.fail(`line numbers ${numbers.join(',')}, expected ${expected.join(',')}`);
    await page.waitForTimeout(100);
    numbers = await lineNumbers(page);
  }
}

async function setTheme(page, theme, workbenchClass) {
  settings.write((s) => ({ ...s, 'workbench.colorTheme': theme }));
  await page.locator(`.monaco-workbench.${workbenchClass}`).waitFor({ timeout: 15_000 });
  await page.waitForTimeout(300);
}

const filterItem = (page) => page.locator('.statusbar-item', { hasText: /Showing: |Hiding: / }).first();

export default [
  {
    name: 'a keyword model (CLI) and a log of 22 lines, labeled',
    async run(page, _snap, { workspace }) {
      settings = workspaceSettings(workspace);
      trainWithCli(join(workspace, 'labels-train.csv'), join(workspace, '.textcat', 'model'), {
        epochs: 20,
        batchSize: 8,
        learningRate: 0.05,
        hiddenUnits: 8,
        embeddingDim: 8,
      });
      assert.equal(readFileSync(join(workspace, FILE), 'utf8'), `${TEXT}\n`, `${FILE} is the log these steps describe`);
      await setTheme(page, 'Default Dark Modern', 'vs-dark');
      await openFile(page, FILE);
      await waitForLines(
        page,
        (ls) => ls.length >= KINDS_ALL.length && ls.filter((l) => l.text.trim()).every((l) => l.labels.length === 1),
      );
      await waitForNumbers(page, ALL);
    },
  },
  {
    name: 'palette: "Show Only Lines of Class…" offers each class with its lines; picking billing folds the others',
    async run(page, snap) {
      await page.locator('.editor-instance .view-line', { hasText: 'request 1:' }).first().click(); // the cursor on a billing line
      await runFromPalette(page, 'Textcat: Show Only Lines of Class…', snap, { opensPick: true });
      const row = page.locator('.quick-input-list .monaco-list-row', { hasText: 'billing' }).first();
      await row.waitFor();
      const billingLines = KINDS_ALL.filter((k) => k === 'billing').length;
      assert.match((await row.textContent()) ?? '', new RegExp(`${billingLines} lines`), 'the class with its number of lines');
      await snap('pick');
      await row.locator('.monaco-checkbox, input[type=checkbox]').first().click();
      // Back in the filter box, Enter takes the checked classes (on the checkbox it would only toggle it again).
      await page.locator('.quick-input-widget input').first().focus();
      await page.keyboard.press('Enter');
      const widget = page.locator('.quick-input-widget');
      if (
        !(await widget.waitFor({ state: 'hidden', timeout: 3_000 }).then(
          () => true,
          () => false,
        ))
      )
        await widget.locator('.quick-input-action', { hasText: 'OK' }).first().click();
      await widget.waitFor({ state: 'hidden' });
      await waitForNumbers(page, BILLING_SHOWN);
      const lines = await readVisible(page);
      assert.ok(
        lines.slice(1).every((l) => l.includes('invoice')),
        `only billing lines under the first: ${lines.join(' | ')}`,
      );
      assert.match((await filterItem(page).textContent()) ?? '', /Showing: billing/);
      await snap('dark');
    },
  },
  {
    name: 'the filtered file in the light theme',
    async run(page, snap) {
      await setTheme(page, 'Default Light Modern', 'vs');
      await waitForNumbers(page, BILLING_SHOWN);
      await snap('light');
      await setTheme(page, 'Default Dark Modern', 'vs-dark');
    },
  },
  {
    name: 'a click on the status bar item (Show All Lines) brings every line back, with its number',
    async run(page, snap) {
      await filterItem(page).click();
      await waitForNumbers(page, ALL);
      assert.equal(await filterItem(page).count(), 0, 'the item is gone with the filter');
      await snap('all');
    },
  },
  {
    name: 'palette: "Lines per Class…" lists each class with its lines',
    async run(page, snap) {
      // The count is the lines the editor shows as shipping: the model is trained on labels-train.csv, to which
      // earlier steps add rows, so which class a "thanks" line gets depends on what ran before.
      const shown = await waitForLines(
        page,
        (ls) => ls.filter((l) => l.text).length === KINDS_ALL.length && ls.every((l) => !l.text || l.labels.length),
      );
      const shipping = shown.filter((l) => /^shipping \d+%$/.test(l.labels[0] ?? '')).length;
      await runFromPalette(page, 'Textcat: Lines per Class…', snap, { opensPick: true });
      const rows = page.locator('.quick-input-list .monaco-list-row');
      // A row per class (the list fills in as it renders).
      await page.waitForFunction(() => document.querySelectorAll('.quick-input-list .monaco-list-row').length === 4);
      assert.match((await rows.filter({ hasText: 'shipping' }).first().textContent()) ?? '', new RegExp(`${shipping} lines`));
      await snap('counts');
      await page.keyboard.press('Escape');
      await runFromPalette(page, 'View: Close Editor', () => {});
      settings.restore();
    },
  },
];

/** The text of the editor's rendered lines, top to bottom. */
async function readVisible(page) {
  const lines = await waitForLines(page, (ls) => ls.length > 0);
  return lines.map((l) => l.text).filter(Boolean);
}
