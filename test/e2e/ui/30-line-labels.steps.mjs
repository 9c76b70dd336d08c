// Inline labels as a person sees them: a labeled file, the toggle, the probability hover, Classify Selection
// and Export Predictions. The model comes from the CLI (not from the training steps before these), so these
// steps depend on nothing but the fixture: classes decided by one keyword each (labels-train.csv).
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { openFile, runFromPalette, trainWithCli, waitForLines } from './workbench.mjs';

const FILE = 'labels-lines.txt';
const MARKUP = '<img src=x onerror=alert(1)> | *odd*';
/** The class of each non-empty line of labels-lines.txt (its keyword decides it). */
const EXPECTED = {
  'please check the invoice for me': 'billing',
  'my parcel has not arrived yet': 'shipping',
  'thanks a lot for the quick help': 'praise',
  'the invoice says "paid", twice': 'billing',
  'a banana in the box': MARKUP,
};

/** The folder the workbench opened (the UI workspace copy of test/e2e/fixture); uiTests.mjs passes it. */
const workspaceOf = (page, context) => context?.workspace ?? new URL(page.url()).searchParams.get('folder');

const labeled = (lines) => lines.filter((l) => l.text.trim());
const allLabeled = (lines) => labeled(lines).length === Object.keys(EXPECTED).length && labeled(lines).every((l) => l.labels.length === 1);

/**
 * A notification of the extension, found in the notification center: in this headless workbench the toasts
 * are not shown (the center lists every notification all the same).
 */
async function notification(page, text) {
  await runFromPalette(page, 'Notifications: Show Notifications', () => {});
  const item = page.locator('.notifications-center .notification-list-item', { hasText: text }).first();
  await item.waitFor();
  return item;
}

/** Puts the cursor on a line by clicking its text. */
const lineLocator = (page, text) => page.locator('.editor-instance .view-line', { hasText: text }).first();

export default [
  {
    name: 'a model trained with the CLI appears in the workspace (keyword fixture)',
    async run(page, _snap, context) {
      const folder = workspaceOf(page, context);
      assert.ok(folder && existsSync(join(folder, 'labels-train.csv')), `the UI workspace holds the fixture: ${folder}`);
      trainWithCli(join(folder, 'labels-train.csv'), join(folder, '.textcat', 'model'), {
        epochs: 20,
        batchSize: 8,
        learningRate: 0.05,
        hiddenUnits: 8,
        embeddingDim: 8,
      });
      assert.ok(existsSync(join(folder, '.textcat', 'model', 'textcat.json')));
    },
  },
  {
    name: `${FILE} shows a colored label and confidence after each non-empty line`,
    async run(page) {
      await openFile(page, FILE);
      // labels.include matches **/*.txt: no toggle needed once the model is there.
      const lines = await waitForLines(page, allLabeled);
      for (const line of labeled(lines)) {
        const expected = EXPECTED[line.text];
        assert.ok(expected, `unexpected line "${line.text}"`);
        assert.match(line.labels[0], new RegExp(`^${expected.replace(/[|*()]/g, '\\$&')} \\d{1,3}%$`), `label of "${line.text}"`);
      }
      assert.ok(
        lines.filter((l) => !l.text.trim()).every((l) => l.labels.length === 0),
        'no label on the blank line',
      );
      // Each class has its own palette color.
      const colors = await page.evaluate(() =>
        [...document.querySelectorAll('.editor-instance .view-lines .view-line span')]
          .map((s) => getComputedStyle(s, '::after'))
          .filter((s) => s.content && s.content !== 'none' && s.content !== 'normal')
          .map((s) => [s.content.replace(/^"| \d+%"$/g, ''), s.color]),
      );
      const byLabel = new Map(colors);
      assert.equal(byLabel.size, 4, `four classes drawn: ${JSON.stringify(colors)}`);
      assert.equal(new Set(byLabel.values()).size, 4, `four different colors: ${JSON.stringify([...byLabel])}`);
    },
  },
  {
    name: 'palette: "Textcat: Toggle Line Labels" turns them off, and on again',
    async run(page, snap) {
      await runFromPalette(page, 'Textcat: Toggle Line Labels', snap);
      await waitForLines(page, (ls) => ls.length > 0 && ls.every((l) => l.labels.length === 0));
      await snap('off');
      await runFromPalette(page, 'Textcat: Toggle Line Labels', () => snap('palette-again'));
      await waitForLines(page, allLabeled);
    },
  },
  {
    name: 'hovering a line shows every class with its probability; a markup label reads as text',
    async run(page) {
      await lineLocator(page, 'a banana in the box').hover({ position: { x: 40, y: 5 } });
      const hover = page.locator('.monaco-hover', { hasText: 'Textcat' }).first();
      await hover.waitFor();
      const rows = await hover
        .locator('table tbody tr')
        .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent.trim())));
      assert.equal(rows.length, 4, `a row per class: ${JSON.stringify(rows)}`);
      assert.deepEqual(rows[0][0], MARKUP, 'the markup label, first (most likely) and literal');
      assert.deepEqual(
        rows
          .map((r) => r[0])
          .slice(1)
          .sort(),
        ['billing', 'praise', 'shipping'],
      );
      const p = rows.map((r) => parseFloat(r[1]));
      assert.deepEqual(
        [...p].sort((a, b) => b - a),
        p,
        'most likely first',
      );
      assert.equal(await hover.locator('img').count(), 0, 'no <img> element from the label');
    },
  },
  {
    name: 'palette: "Textcat: Classify Selection" on the current line tells its class; "Show All" lists every class',
    async run(page, snap) {
      await page.keyboard.press('Escape');
      await lineLocator(page, 'my parcel has not arrived yet').click();
      await runFromPalette(page, 'Textcat: Classify Selection', snap);
      const item = await notification(page, '→ shipping');
      await snap('message');
      await item.getByRole('button', { name: 'Show All' }).click();
      const rows = page.locator('.quick-input-list .monaco-list-row');
      await rows.first().waitFor();
      assert.equal(await rows.count(), 4, 'a row per class');
      // Name and description only: a row reused from the palette may still hold its hidden separator text ("similar commands").
      const first = await rows.first().evaluate((row) =>
        ['.label-name', '.label-description']
          .map((c) => row.querySelector(c)?.textContent?.trim() ?? '')
          .filter(Boolean)
          .join(' '),
      );
      assert.match(first, /^shipping\s*\d+\.\d%$/);
      await snap('all-classes');
      await page.keyboard.press('Escape');
      await runFromPalette(page, 'Notifications: Clear All Notifications', () => {});
    },
  },
  {
    name: 'palette: "Textcat: Export Predictions…" saves a CSV of every line through the save dialog',
    async run(page, snap, context) {
      const target = join(workspaceOf(page, context), 'labels-lines.predictions.csv');
      rmSync(target, { force: true });
      await lineLocator(page, 'please check the invoice').click();
      // Not runFromPalette: the save dialog opens in the same quick input as the palette.
      await page.keyboard.press('F1');
      await page.locator('.quick-input-widget input').fill('>Textcat: Export Predictions…');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Textcat: Export Predictions…' }).first().waitFor();
      await snap('palette');
      await page.keyboard.press('Enter');
      // code-server's save dialog is a quick input prefilled with the suggested path.
      await page.waitForFunction(() => document.querySelector('.quick-input-widget input')?.value.endsWith('labels-lines.predictions.csv'));
      await snap('save-dialog');
      await page.keyboard.press('Enter');
      await notification(page, 'exported 5 lines');
      const [header, ...rows] = readFileSync(target, 'utf8').trimEnd().split('\r\n');
      assert.match(header, /^line,text,label,confidence,p_/);
      assert.equal(rows.length, 5);
      assert.ok(rows[3].startsWith('5,"the invoice says ""paid"", twice",billing,'), rows[3]);
      await runFromPalette(page, 'Notifications: Clear All Notifications', () => {});
    },
  },
];
