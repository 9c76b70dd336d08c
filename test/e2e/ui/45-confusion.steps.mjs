// Confusion-matrix drill-down as a person uses it: a model with certain confusions (two classes share a text
// word for word) is trained with the CLI; choosing an error cell in the Metrics view lists that cell's validation
// examples; choosing one opens the dataset at its record. The list survives the view being hidden and shown.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { metricsFrame, runFromPalette, trainWithCli } from './workbench.mjs';

const DATASET = 'confusion-dataset.csv';
/** What the host sends per cell at most (src/extension/confusionDrill.ts). */
const MAX_LISTED = 200;

/** Filled by the first step. */
let manifest;
/** An error cell (bug taken for another class if there is one: its records span two lines): indices, count, examples by line. */
let cell;

const workspaceOf = (page, context) => context?.workspace ?? new URL(page.url()).searchParams.get('folder');

function rows() {
  const list = [];
  for (let i = 0; i < 15; i++) list.push(`please refund my invoice number ${i},billing`);
  for (let i = 0; i < 15; i++) list.push('question about my order,billing');
  for (let i = 0; i < 15; i++) list.push(`where is my parcel tracking ${i},shipping`);
  for (let i = 0; i < 15; i++) list.push('question about my order,shipping');
  for (let i = 0; i < 12; i++) list.push(`"the app crashed, ""again""\nafter update ${i}",bug`);
  return ['text,label', ...list];
}

async function openSidebar(page) {
  await runFromPalette(page, 'Textcat: Show Metrics', async () => {});
  await page.locator('.part.sidebar .title-label', { hasText: 'Metrics' }).waitFor();
}

const cellButton = (view, { truth, predicted }) =>
  view.locator(`#confusion button.cell-button[data-truth="${truth}"][data-predicted="${predicted}"]`);

export default [
  {
    name: 'confusion: a model with confusions; every non-empty validation cell is a button that names its examples',
    async run(page, snap, context) {
      const workspace = workspaceOf(page, context);
      assert.ok(workspace && existsSync(workspace), `the UI workspace: ${workspace}`);
      // Under .textcat/, which the dataset quick pick of other steps skips; inside the workspace, since Textcat opens
      // a manifest's example only there.
      const csv = join(workspace, '.textcat', 'confusion-data', DATASET);
      mkdirSync(dirname(csv), { recursive: true });
      writeFileSync(csv, rows().join('\n') + '\n');
      const out = join(workspace, '.textcat', 'model');
      trainWithCli(csv, out, { epochs: 3, hiddenUnits: 8, embeddingDim: 8, validationSplit: 0.3, seed: 42 });
      manifest = JSON.parse(readFileSync(join(out, 'textcat.json'), 'utf8'));
      const { labels, confusion } = manifest.metrics.validation;
      const errors = confusion.flatMap((row, truth) =>
        row.map((n, predicted) => ({ truth, predicted, n })).filter((c) => c.truth !== c.predicted && c.n > 0),
      );
      assert.ok(errors.length > 0, `the model confuses classes: ${JSON.stringify(confusion)}`);
      const examplesOf = (c) =>
        manifest.validationExamples
          .filter((e) => e.label === labels[c.truth] && e.predicted === labels[c.predicted])
          .sort((a, b) => a.line - b.line);
      const chosen = errors.find((c) => labels[c.truth] === 'bug') ?? errors.sort((a, b) => b.n - a.n)[0];
      cell = { ...chosen, truthLabel: labels[chosen.truth], predictedLabel: labels[chosen.predicted], examples: examplesOf(chosen) };

      await openSidebar(page);
      const view = metricsFrame(page);
      await view.locator(`.runs li:first-child [data-run-id="${manifest.runId}"]`).waitFor({ timeout: 20_000 });
      const validation = view.locator('[data-focus="source:validation"]');
      if (await validation.count()) await validation.click();
      await view.locator('#confusion table.confusion').waitFor();
      const nonEmpty = confusion.flat().filter((n) => n > 0).length;
      assert.equal(await view.locator('#confusion button.cell-button').count(), nonEmpty, 'one button per non-empty cell');
      const button = cellButton(view, cell);
      assert.equal(
        await button.getAttribute('aria-label'),
        `${cell.n} ${cell.n === 1 ? 'example' : 'examples'} of ${cell.truthLabel} predicted as ${cell.predictedLabel}`,
      );
      assert.equal(await button.getAttribute('aria-expanded'), 'false');
      await view.locator('#confusion').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    },
  },
  {
    name: 'confusion: clicking an error cell lists its validation examples under the matrix',
    async run(page, snap) {
      const view = metricsFrame(page);
      await cellButton(view, cell).click();
      const panel = view.locator('#confusion-examples');
      await panel.locator('ol.examples li').first().waitFor();
      assert.equal(await panel.locator('ol.examples li').count(), Math.min(cell.n, MAX_LISTED), 'one row per example of the cell');
      assert.equal((await panel.locator('h3').textContent())?.trim(), `${cell.truthLabel} predicted as ${cell.predictedLabel}`);
      assert.deepEqual(
        await panel.locator('.example-text').allTextContents(),
        cell.examples.map((e) => e.text),
        'the texts, as text, in dataset order',
      );
      assert.deepEqual(
        await panel.locator('.example-where').allTextContents(),
        cell.examples.map((e) => `line ${e.line}`),
      );
      assert.equal(await cellButton(view, cell).getAttribute('aria-expanded'), 'true');
      assert.equal(await cellButton(view, cell).getAttribute('aria-controls'), 'confusion-examples');
      await view.locator('#confusion').evaluate((el) => el.scrollIntoView({ block: 'start' }));
      await snap('examples');
    },
  },
  {
    name: 'confusion: the open list is still there after the view is hidden and shown again',
    async run(page) {
      await page.locator('.part.activitybar [aria-label^="Explorer"]').first().click();
      await page.locator('.part.sidebar .title-label', { hasText: 'Explorer' }).waitFor();
      await openSidebar(page);
      const view = metricsFrame(page);
      await view.locator('body[data-ready="true"]').waitFor();
      await view.locator('#confusion-examples ol.examples li').first().waitFor();
      assert.equal(await view.locator('#confusion-examples ol.examples li').count(), Math.min(cell.n, MAX_LISTED));
      await view.locator('#confusion').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    },
  },
  {
    name: 'confusion: clicking an example opens the dataset at its record (tab and cursor line)',
    async run(page, snap) {
      const view = metricsFrame(page);
      // The last one: after two-line records, a record's line is not its row number.
      const k = cell.examples.length - 1;
      const example = cell.examples[k];
      await view.locator(`#confusion-examples button.example[data-focus="example:${k}"]`).click();
      await page.locator('.tab.active', { hasText: DATASET }).waitFor();
      const position = page.locator('.part.statusbar .statusbar-item', { hasText: /^Ln \d+, Col \d+/ });
      await position.filter({ hasText: new RegExp(`^Ln ${example.line}, `) }).waitFor();
      await snap('dataset');
    },
  },
  {
    name: 'confusion: the keyboard closes the list and reopens it from the cell',
    async run(page) {
      const view = metricsFrame(page);
      const close = view.locator('#confusion-examples button.close');
      await close.focus();
      await page.keyboard.press('Enter');
      await view.locator('#confusion-examples').waitFor({ state: 'detached' });
      assert.equal(await cellButton(view, cell).getAttribute('aria-expanded'), 'false');
      assert.equal(await cellButton(view, cell).evaluate((el) => el === document.activeElement), true, 'focus goes back to the cell');
      await page.keyboard.press('Enter');
      await view.locator('#confusion-examples ol.examples li').first().waitFor();
      assert.equal(await view.locator('#confusion-examples ol.examples li').count(), Math.min(cell.n, MAX_LISTED));
    },
  },
  {
    name: 'confusion: leave the workbench as the steps before left it (dataset closed, focus in the editor)',
    async run(page) {
      await page.locator('.tab', { hasText: DATASET }).click();
      await page.locator('.tab.active', { hasText: DATASET }).waitFor();
      await runFromPalette(page, 'View: Close Editor', async () => {});
      await page.locator('.tab', { hasText: DATASET }).waitFor({ state: 'detached' });
    },
  },
];
