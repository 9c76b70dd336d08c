// The Metrics sidebar as a person reads it: dataset summary, curves with their text alternatives, the
// confusion matrix and per-class tables, a label made of markup shown as text, the run list, hide/show, and
// a light theme. The model comes from the CLI, trained on a dataset written here, so these steps depend on
// nothing before them (a model from earlier steps only adds runs to the list).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { metricsFrame, runFromPalette, trainWithCli } from './workbench.mjs';

const MARKUP = '<img src=x onerror=alert(1)>';
const CLASSES = {
  spam: (i) => `win a free prize now click here offer ${i}`,
  ham: (i) => `see you at lunch tomorrow with the team ${i}`,
  [MARKUP]: (i) => `the server returned error code ${500 + i} again`,
};
const N = Object.keys(CLASSES).length;
const DATASET = 'sidebar-dataset.csv';

/** Filled by the first step: the model folder's manifest after the last CLI run. */
let manifest;
const dialogs = [];

const workspaceOf = (page, context) => context?.workspace ?? new URL(page.url()).searchParams.get('folder');

function train(workspace, csv, epochs) {
  trainWithCli(csv, join(workspace, '.textcat', 'model'), { epochs, hiddenUnits: 8, embeddingDim: 8, learningRate: 0.01 });
}

/** Through the palette: clicking the activity-bar item would close the sidebar if it already shows Textcat. */
async function openSidebar(page) {
  await runFromPalette(page, 'Textcat: Show Metrics', async () => {});
  await page.locator('.part.sidebar .title-label', { hasText: 'Metrics' }).waitFor();
}

/** Scrolls the webview so that a section is at the top of the sidebar, for the screenshot. */
async function showSection(view, selector) {
  await view.locator(selector).evaluate((el) => el.scrollIntoView({ block: 'start' }));
}

export default [
  {
    name: 'sidebar: a model trained with the CLI (a label made of markup) appears in the Metrics view',
    async run(page, snap, context) {
      const workspace = workspaceOf(page, context);
      assert.ok(workspace && existsSync(workspace), `the UI workspace: ${workspace}`);
      page.on('dialog', (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });
      // Outside the workspace, so the Explorer and the dataset quick pick of other steps stay as they were.
      const csv = join(dirname(workspace), DATASET);
      const rows = Object.entries(CLASSES).flatMap(([label, text]) => Array.from({ length: 20 }, (_, i) => `${text(i)},${label}`));
      writeFileSync(csv, ['text,label', ...rows].join('\n') + '\n');
      const manifestPath = join(workspace, '.textcat', 'model', 'textcat.json');
      // Two runs at least, so there is a past run to click.
      if (!existsSync(manifestPath)) train(workspace, csv, 2);
      train(workspace, csv, 4);
      manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
      assert.ok(manifest.runs.length >= 2);

      await openSidebar(page);
      const view = metricsFrame(page);
      await view.locator('body[data-ready="true"]').waitFor();
      // The folder watcher reloads the model; the run list then starts with this run.
      await view.locator(`.runs li:first-child [data-run-id="${manifest.runId}"]`).waitFor({ timeout: 20_000 });
      await view.locator('#model').waitFor();
      assert.equal(await view.locator('#empty').count(), 0, 'no empty state once there is a model');
    },
  },
  {
    name: 'sidebar: dataset summary (file, rows, classes with counts, columns, length histogram)',
    async run(page) {
      const view = metricsFrame(page);
      const dataset = view.locator('#dataset');
      await dataset.waitFor();
      assert.equal((await dataset.locator('.figures .path').textContent())?.trim(), DATASET);
      const figures = Object.fromEntries(
        await dataset
          .locator('.figures > div')
          .evaluateAll((divs) => divs.map((d) => [d.querySelector('dt').textContent, d.querySelector('dd').textContent])),
      );
      assert.equal(figures.Rows, String(manifest.dataset.rows));
      assert.equal(figures.Classes, String(N));
      assert.equal(await dataset.locator('table.class-counts tbody tr').count(), N, 'one row per class');
      assert.deepEqual(
        (await dataset.locator('.columns code').allTextContents()).map((t) => t.trim()),
        ['text', 'label'],
      );
      assert.equal(await dataset.locator('.histogram-bin').count(), manifest.dataset.lengthHistogram.counts.length);
      assert.match((await dataset.locator('.histogram').getAttribute('aria-label')) ?? '', /Histogram of line lengths/);
      await showSection(view, '#dataset');
    },
  },
  {
    name: 'sidebar: loss and accuracy curves, each with a text alternative',
    async run(page) {
      const view = metricsFrame(page);
      const curves = view.locator('#curves');
      await curves.locator('canvas').first().waitFor();
      assert.equal(await curves.locator('figure.chart').count(), 2, 'loss and accuracy');
      for (const figure of await curves.locator('figure.chart').all()) {
        assert.ok((await figure.locator('canvas').count()) >= 1, 'a canvas');
        assert.match(
          (await figure.locator('[role="img"]').getAttribute('aria-label')) ?? '',
          /(Loss|Accuracy) per epoch, training and validation/,
        );
        assert.ok(((await figure.locator('figcaption').textContent()) ?? '').length > 20, 'a text summary beside the canvas');
      }
      assert.match(
        (await curves.locator('figcaption').first().textContent()) ?? '',
        /Training loss went from \d\.\d{3} \(epoch 1\) to \d\.\d{3} \(epoch \d\)/,
      );
      await showSection(view, '#curves');
    },
  },
  {
    name: 'sidebar: confusion matrix (n×n cells, row-normalised colors) and per-class table',
    async run(page, snap) {
      const view = metricsFrame(page);
      const confusion = view.locator('#confusion table.confusion');
      await confusion.waitFor();
      assert.equal(await confusion.locator('tbody td').count(), N * N);
      assert.equal(await confusion.locator('thead th[scope="col"]').count(), N + 1, 'a column header per class, and the corner');
      assert.equal(await confusion.locator('tbody th[scope="row"]').count(), N);
      assert.match((await confusion.locator('caption').textContent()) ?? '', /Confusion matrix, validation set/);
      const tinted = await confusion
        .locator('td.cell')
        .evaluateAll((cells) =>
          cells
            .filter((c) => Number(c.textContent) > 0)
            .every((c) => c.style.backgroundColor.includes('color-mix') || getComputedStyle(c).backgroundColor !== 'rgba(0, 0, 0, 0)'),
        );
      assert.ok(tinted, 'every non-empty cell is tinted');
      await showSection(view, '#confusion');
      await snap('confusion');

      const perClass = view.locator('#per-class table.per-class');
      assert.equal(await perClass.locator('tbody tr').count(), N, 'one row per class');
      // Each header's name (a narrow sidebar shows abbreviations, with the full name as the accessible name).
      assert.deepEqual(await perClass.locator('thead th').evaluateAll((ths) => ths.map((th) => th.getAttribute('aria-label'))), [
        'Class',
        'Precision',
        'Recall',
        'F1',
        'Support',
      ]);
      assert.match((await perClass.locator('tfoot tr').first().textContent()) ?? '', /Macro avg/);
      const macro = (await perClass.locator('tfoot tr').first().locator('strong').textContent())?.trim();
      assert.equal(macro, manifest.metrics.validation.macroF1.toFixed(3));
      await showSection(view, '#per-class');
    },
  },
  {
    name: 'sidebar: calibration (reliability diagram with its summary and table, ECE)',
    async run(page) {
      const view = metricsFrame(page);
      const calibration = view.locator('#calibration');
      assert.match((await calibration.locator('h2').textContent()) ?? '', /ECE \d\.\d{3}/);
      await calibration.locator('canvas').first().waitFor();
      assert.match((await calibration.locator('figcaption').textContent()) ?? '', /Expected calibration error/);
      assert.equal(await calibration.locator('table.reliability tbody tr').count(), manifest.metrics.validation.reliability.length);
      await showSection(view, '#calibration');
    },
  },
  {
    name: 'sidebar: the markup label shows as text and creates no element',
    async run(page) {
      const view = metricsFrame(page);
      assert.equal(await view.locator('img').count(), 0, 'no <img> in the page');
      assert.ok((await view.locator('#model .chip').allTextContents()).includes(MARKUP), 'class chip');
      assert.ok((await view.locator('#per-class tbody th').allTextContents()).includes(MARKUP), 'per-class row header');
      assert.ok((await view.locator('#confusion thead th').allTextContents()).includes(MARKUP), 'confusion column header');
      assert.ok((await view.locator('#dataset table.class-counts tbody th').allTextContents()).includes(MARKUP), 'class count row');
      assert.deepEqual(dialogs, [], 'no alert ran');
      await showSection(view, '#model');
    },
  },
  {
    name: 'sidebar: clicking a past run shows its curves and options; Enter on another run switches to it',
    async run(page, snap) {
      const view = metricsFrame(page);
      const past = manifest.runs[1];
      const button = view.locator(`button.run[data-run-id="${past.id}"]`);
      await button.click();
      await view.locator(`button.run[data-run-id="${past.id}"][aria-pressed="true"]`).waitFor();
      const detail = view.locator('#run-detail');
      await detail.waitFor();
      assert.match((await detail.locator('h3').textContent()) ?? '', /^Run of /);
      assert.equal(await detail.locator('figure.chart').count(), 2, 'that run’s loss and accuracy curves');
      assert.match((await detail.locator('figcaption').first().textContent()) ?? '', new RegExp(`epoch ${past.history.length}\\)`));
      assert.equal(await detail.locator('table.options tbody tr').count(), Object.keys(past.options).length);
      await showSection(view, '#runs');
      await snap('past-run');

      // Keyboard: focus the current run and press Enter.
      const current = view.locator(`button.run[data-run-id="${manifest.runId}"]`);
      await current.focus();
      await page.keyboard.press('Enter');
      await view.locator(`button.run[data-run-id="${manifest.runId}"][aria-pressed="true"]`).waitFor();
      assert.match((await view.locator('#run-detail h3').textContent()) ?? '', /\(current model\)/);
      assert.equal(await view.locator(`button.run[data-run-id="${past.id}"]`).getAttribute('aria-pressed'), 'false');
      await showSection(view, '#runs');
    },
  },
  {
    name: 'sidebar: the chosen run is still shown after the view is hidden and shown again',
    async run(page) {
      await page.locator('.part.activitybar [aria-label^="Explorer"]').first().click();
      await page.locator('.part.sidebar .title-label', { hasText: 'Explorer' }).waitFor();
      await openSidebar(page);
      const view = metricsFrame(page);
      await view.locator(`button.run[data-run-id="${manifest.runId}"][aria-pressed="true"]`).waitFor();
      await view.locator('#run-detail').waitFor();
    },
  },
  {
    name: 'sidebar: light theme',
    async run(page, snap, context) {
      const workspace = workspaceOf(page, context);
      const settingsFile = join(workspace, '.vscode', 'settings.json');
      const before = existsSync(settingsFile) ? readFileSync(settingsFile, 'utf8') : undefined;
      const settings = before ? JSON.parse(before) : {};
      mkdirSync(dirname(settingsFile), { recursive: true });
      writeFileSync(settingsFile, JSON.stringify({ ...settings, 'workbench.colorTheme': 'Default Light Modern' }, null, 2));
      const view = metricsFrame(page);
      try {
        await view.locator('body.vscode-light').waitFor({ timeout: 15_000 });
        await view.locator('#model').evaluate((el) => el.scrollIntoView({ block: 'start' }));
        await page.waitForTimeout(300); // the charts redraw with the theme's colors on the next frame
        await snap('top');
        await showSection(view, '#confusion');
        await page.waitForTimeout(100);
        await snap('confusion');
      } finally {
        // Back to the dark theme (removing the setting alone leaves the workbench light), then the settings as they were.
        writeFileSync(settingsFile, JSON.stringify({ ...settings, 'workbench.colorTheme': 'Default Dark Modern' }, null, 2));
        await view.locator('body.vscode-dark').waitFor({ timeout: 15_000 });
        writeFileSync(settingsFile, before ?? '{}\n');
      }
    },
  },
];
