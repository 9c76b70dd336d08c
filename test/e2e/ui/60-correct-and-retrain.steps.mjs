// The model-in-the-loop as a person works it: a line gets the wrong label, the hover says why and offers
// "Correct to …"; clicking a class adds the line to the dataset; "Retrain on the same dataset" from the
// palette; the line's label changes (and is highlighted once).
//
// The steps bring their own tiny dataset (loop-train.csv, classes decided by one keyword each, lines
// without one are "other") and train it with the CLI, as 30-line-labels does, so they depend on nothing
// before them (loop-lines.txt is a fixture file). "refund" is in no training row: the corrected line is "other" until the corrections teach it.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openFile, runFromPalette, trainWithCli, waitForLines } from './workbench.mjs';

const DATASET = 'loop-train.csv';
const FILE = 'loop-lines.txt';
const LINE = 'where is my refund';
const LINES = ['please check the invoice for me', LINE, 'my parcel is late again'];
/** Corrections added through the hover: a few, so that the retrained model surely learns the new word. */
const CORRECTIONS = 3;
/** Fast, certain training (the palette's retrain reads these from the workspace settings). */
const TRAINING = { epochs: 30, batchSize: 8, learningRate: 0.05, hiddenUnits: 8, embeddingDim: 8 };

const NOISE = ['the', 'a', 'my', 'for', 'please', 'today', 'with', 'some', 'again', 'this', 'from', 'one'];
function dataset() {
  let seed = 11;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const noise = (n) => Array.from({ length: n }, () => NOISE[Math.floor(rand() * NOISE.length)]);
  const rows = ['text,label'];
  for (let i = 0; i < 30; i++) {
    for (const [keyword, label] of [
      ['invoice', 'billing'],
      ['parcel', 'shipping'],
    ]) {
      const words = noise(2 + (i % 4));
      words.splice(i % words.length, 0, keyword);
      rows.push(`${words.join(' ')},${label}`);
    }
    rows.push(`${noise(2 + (i % 4)).join(' ')},other`);
  }
  return rows.join('\n') + '\n';
}

const labelOf = (lines, text) => lines.find((l) => l.text === text)?.labels[0] ?? '';

/** Hovers the line and returns the Textcat hover widget. */
async function hoverLine(page, text) {
  await page.keyboard.press('Escape');
  const line = page.locator('.editor-instance .view-line', { hasText: text }).first();
  await page.mouse.move(0, 0);
  await line.hover({ position: { x: 30, y: 5 } });
  const hover = page.locator('.monaco-hover', { hasText: 'Textcat' }).first();
  await hover.waitFor();
  return hover;
}

const rowsOf = (workspace) => readFileSync(join(workspace, DATASET), 'utf8').trimEnd().split('\n');

export default [
  {
    name: 'loop: a model trained with the CLI on loop-train.csv labels loop-lines.txt; the refund line is "other"',
    async run(page, _snap, { workspace }) {
      writeFileSync(join(workspace, DATASET), dataset());
      // The lines are a fixture (in the workspace from the start, so Quick Open's file index has them).
      assert.deepEqual(readFileSync(join(workspace, FILE), 'utf8').trimEnd().split('\n'), LINES);
      // Fast options that learn this tiny set; the palette's "Retrain on the same dataset" repeats them.
      trainWithCli(join(workspace, DATASET), join(workspace, '.textcat', 'model'), TRAINING);
      await openFile(page, FILE);
      const lines = await waitForLines(
        page,
        (ls) => /^other \d+%$/.test(labelOf(ls, LINE)) && /^billing \d+%$/.test(labelOf(ls, LINES[0])),
      );
      assert.match(labelOf(lines, LINES[2]), /^shipping \d+%$/);
    },
  },
  {
    name: 'loop: the hover says why (the words and their weights) and offers "Correct to" the other classes',
    async run(page, snap) {
      const hover = await hoverLine(page, LINES[0]);
      await hover.getByText('Why:').waitFor();
      const why = (await hover.locator('p', { hasText: 'Why:' }).first().textContent()).trim();
      assert.match(why, /^Why: invoice \+\d\.\d\d/, `the keyword weighs most: ${why}`);
      assert.equal((await hover.locator('strong', { hasText: 'invoice' }).count()) > 0, true, 'the top word is bold');
      const links = await hover.locator('p', { hasText: 'Correct to:' }).locator('a').allTextContents();
      assert.deepEqual(links.map((l) => l.trim()).sort(), ['other', 'shipping']);
      await snap('why-billing');
    },
  },
  {
    name: `loop: clicking "Correct to: billing" in the hover of "${LINE}" adds it to ${DATASET} (${CORRECTIONS} times)`,
    async run(page, snap, { workspace }) {
      const before = rowsOf(workspace);
      for (let i = 0; i < CORRECTIONS; i++) {
        const hover = await hoverLine(page, LINE);
        const link = hover.locator('p', { hasText: 'Correct to:' }).locator('a', { hasText: /^billing$/ });
        await link.waitFor();
        if (i === 0) await snap('hover');
        await link.click();
        const deadline = Date.now() + 10_000;
        while (rowsOf(workspace).length < before.length + i + 1) {
          assert.ok(Date.now() < deadline, `row ${i + 1} was not appended to ${DATASET}`);
          await page.waitForTimeout(100);
        }
      }
      const after = rowsOf(workspace);
      assert.deepEqual(after.slice(0, before.length), before, 'the rows before are unchanged');
      assert.deepEqual(
        after.slice(before.length),
        Array.from({ length: CORRECTIONS }, () => `${LINE},billing`),
      );
      await page.keyboard.press('Escape');
      await page.mouse.move(0, 0);
    },
  },
  {
    name: 'loop: palette "Textcat: Train Classifier…" → "Retrain on the same dataset"; the corrected line now reads billing',
    async run(page, snap) {
      await runFromPalette(page, 'Textcat: Train Classifier…', undefined, { opensPick: true });
      const retrain = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Retrain on the same dataset' }).first();
      await retrain.waitFor();
      assert.match(await retrain.textContent(), new RegExp(DATASET.replace('.', '\\.')));
      await snap('retrain');
      await retrain.click();
      await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
      const lines = await waitForLines(page, (ls) => /^billing \d+%$/.test(labelOf(ls, LINE)));
      assert.match(labelOf(lines, LINES[0]), /^billing \d+%$/, 'the other lines keep their labels');
      assert.match(labelOf(lines, LINES[2]), /^shipping \d+%$/);
      // Once, right after the retrain: the status bar counts the changed labels (and the line is highlighted).
      await page.locator('.part.statusbar', { hasText: 'the new model changed 1 line label' }).waitFor({ timeout: 5_000 });
      await snap('changed');
    },
  },
  {
    name: 'loop: the hover of the corrected line now explains billing by "refund"',
    async run(page, snap) {
      const hover = await hoverLine(page, LINE);
      await hover.getByText('Why:').waitFor();
      const title = (await hover.locator('p', { hasText: 'Textcat' }).first().textContent()).trim();
      assert.match(title, /^Textcat: billing/);
      const why = (await hover.locator('p', { hasText: 'Why:' }).first().textContent()).trim();
      assert.match(why, /^Why: (refund|where|is) \+/, `a word only the corrections had: ${why}`);
      await snap('why-refund');
      await page.keyboard.press('Escape');
      await runFromPalette(page, 'View: Close All Editors', () => {});
    },
  },
];
