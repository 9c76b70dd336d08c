// A multi-label model as a person sees it (issue 19), on the fixture's multilabel-lines.txt: a tickets dataset whose rows carry one, two or no labels
// joined by "|" is trained with the CLI; the lines of a file show each class over its threshold as a chip in
// its class's color, within the fixed start column ("+N" when they do not fit, a quiet "—" when none applies);
// the hover lists every class with its probability, threshold and whether it is on; the sidebar shows the
// multi-label scores, each class's threshold and the label co-occurrence table, in Dark Modern and Light Modern.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { metricsFrame, openFile, runFromPalette, trainWithCli, waitForLines, workspaceSettings } from './workbench.mjs';

const LINES_FILE = 'multilabel-lines.txt';
const BOTH = 'refund the invoice and track the parcel';
const BILLING = 'refund the invoice please';
const SHIPPING = 'track the parcel please';
const NONE = 'hello there friend';

let manifest;
let folder;

/** Generated rows: billing (invoice, refund), shipping (parcel, track), both, and rows of neither. */
function rows() {
  const list = ['text,label'];
  const fillers = ['today', 'now', 'again', 'for me', 'thanks', 'quickly', 'team', 'asap', 'soon', 'later'];
  fillers.forEach((w, i) => {
    list.push(`refund the invoice ${w},billing`, `wrong invoice amount ${i},billing`);
    list.push(`track the parcel ${w},shipping`, `parcel not delivered ${i},shipping`);
    list.push(`refund the invoice and track the parcel ${w},billing|shipping`, `invoice and parcel both wrong ${i},shipping|billing`);
    list.push(`hello there ${w},`, `good morning ${i},`);
  });
  return list;
}

const workspaceOf = (page, context) => context?.workspace ?? new URL(page.url()).searchParams.get('folder');
const lineOf = (lines, text) => lines.find((l) => l.text.trim() === text);
const lineLocator = (page, text) => page.locator('.editor-instance .view-line', { hasText: text }).first();
const pickRow = (page, label) =>
  page.locator('.quick-input-list .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${label}$`) }) });

async function chooseTheme(page, label) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill('>Preferences: Color Theme');
  await pickRow(page, 'Preferences: Color Theme').click();
  await input.fill(label);
  await pickRow(page, label).click();
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}

async function openSidebar(page) {
  await runFromPalette(page, 'Textcat: Show Metrics', async () => {});
  await page.locator('.part.sidebar .title-label', { hasText: 'Metrics' }).waitFor();
}

/** The colors of the chips on the line of both classes, and where the text of three lines starts. */
function chipLook(page) {
  return page.evaluate(
    ([both, texts]) => {
      const lineWith = (text) =>
        [...document.querySelectorAll('.editor-instance .view-lines .view-line')].find((l) =>
          l.textContent.replace(/\u00a0/g, ' ').includes(text),
        );
      const colors = [...lineWith(both).querySelectorAll('span')].flatMap((s) =>
        ['::before', '::after']
          .map((p) => getComputedStyle(s, p))
          .filter((st) => st.content && !['none', 'normal', '""'].includes(st.content))
          .map((st) => st.color),
      );
      const textLeft = (text) => {
        const node = [...lineWith(text).querySelectorAll('span')]
          .flatMap((s) => [...s.childNodes])
          .find((n) => n.nodeType === 3 && n.textContent.trim());
        const range = document.createRange();
        range.selectNodeContents(node);
        return range.getBoundingClientRect().left;
      };
      return { colors, left: texts.map(textLeft) };
    },
    [BOTH, [BOTH, BILLING, NONE]],
  );
}

export default [
  {
    name: 'multi-label: a model trained with the CLI on rows of one, two or no labels joined by "|"',
    async run(page, _snap, context) {
      folder = workspaceOf(page, context);
      assert.ok(folder && existsSync(folder), `the UI workspace: ${folder}`);
      const csv = join(folder, '.textcat', 'multilabel-data', 'tickets-ml.csv');
      mkdirSync(dirname(csv), { recursive: true });
      writeFileSync(csv, rows().join('\n') + '\n');
      const out = join(folder, '.textcat', 'model');
      trainWithCli(csv, out, { epochs: 12, hiddenUnits: 8, embeddingDim: 8, seed: 42 });
      manifest = JSON.parse(readFileSync(join(out, 'textcat.json'), 'utf8'));
      assert.equal(manifest.multiLabel, true, 'the model is multi-label');
      assert.deepEqual(manifest.labels, ['billing', 'shipping']);
      assert.deepEqual(readFileSync(join(folder, LINES_FILE), 'utf8').trimEnd().split('\n'), [BOTH, BILLING, '', SHIPPING, NONE]);
    },
  },
  {
    name: 'multi-label: each line shows a chip per class over its threshold, in its class color; none shows "—"',
    async run(page, snap) {
      await openFile(page, LINES_FILE);
      const lines = await waitForLines(page, (ls) => ls.filter((l) => l.text.trim() && l.labels.length).length >= 4);
      assert.deepEqual(lineOf(lines, BOTH)?.labels, ['billing', 'shipping'], `two chips: ${JSON.stringify(lines)}`);
      assert.deepEqual(lineOf(lines, BILLING)?.labels, ['billing']);
      assert.deepEqual(lineOf(lines, SHIPPING)?.labels, ['shipping']);
      assert.deepEqual(lineOf(lines, NONE)?.labels, ['—'], 'no class over threshold: the quiet mark');
      const look = await chipLook(page);
      assert.equal(look.colors.length, 2);
      assert.notEqual(look.colors[0], look.colors[1], `the chips have two colors: ${look.colors}`);
      await snap('chips');
      // In the fixed start column: the text after one chip, two chips or "—" starts in the same place.
      const settings = workspaceSettings(folder);
      settings.write((before) => ({ ...before, 'textcat.labels.position': 'start' }));
      try {
        // The column appears before the text, which moves right.
        let start = await chipLook(page);
        for (const deadline = Date.now() + 10_000; Math.min(...start.left) < Math.min(...look.left) + 20;) {
          assert.ok(Date.now() < deadline, `the labels moved to the start: ${JSON.stringify(start)}`);
          await page.waitForTimeout(100);
          start = await chipLook(page);
        }
        assert.ok(Math.max(...start.left) - Math.min(...start.left) < 2, `the text after the chips stays aligned: ${start.left}`);
        await snap('chips-start');
      } finally {
        settings.restore();
      }
    },
  },
  {
    name: 'multi-label: the hover lists every class with its probability, threshold and whether it is on',
    async run(page, snap) {
      // The editor shows a hover after the mouse rests on the text; on a busy machine (or when the label column
      // moved under a resting mouse) one move may not start it: move away and back, a few times.
      const hover = page.locator('.monaco-hover', { hasText: 'Textcat' }).first();
      for (let attempt = 0; ; attempt++) {
        await page.mouse.move(5, 5);
        await lineLocator(page, BOTH).hover({ position: { x: 200 + attempt * 20, y: 5 } });
        const shown = await hover.waitFor({ timeout: 10_000 }).then(
          () => true,
          () => false,
        );
        if (shown) break;
        assert.ok(attempt < 3, 'no Textcat hover on the line after four tries');
      }
      await hover.locator('table').waitFor();
      const rows = await hover
        .locator('tbody tr')
        .evaluateAll((trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent.trim())));
      assert.equal(rows.length, 2, JSON.stringify(rows));
      const thresholds = manifest.thresholds.map((t) => `${(t * 100).toFixed(1)}%`);
      for (const row of rows) {
        const i = manifest.labels.indexOf(row[0]);
        assert.ok(i >= 0, row[0]);
        assert.equal(row[2], thresholds[i], `${row[0]}'s threshold`);
        assert.equal(row[3], '✓', `${row[0]} is on for a line of both`);
      }
      assert.ok(await hover.locator('a', { hasText: 'Label line as…' }).count(), 'one link to the multi-select');
      await snap('hover');
      await page.keyboard.press('Escape');
      await page.mouse.move(5, 5);
    },
  },
  {
    name: 'multi-label: the sidebar shows micro/macro/samples-F1, subset accuracy, Hamming loss, thresholds and co-occurrence (Dark Modern)',
    async run(page, snap) {
      await openSidebar(page);
      const view = metricsFrame(page);
      await view.locator(`.runs li:first-child [data-run-id="${manifest.runId}"]`).waitFor({ timeout: 20_000 });
      const validation = view.locator('[data-focus="source:validation"]');
      if (await validation.count()) await validation.click();
      const headline = await view.locator('#scores dl.headline dt').allTextContents();
      assert.deepEqual(headline, ['Micro-F1', 'Macro-F1', 'Samples-F1', 'Subset accuracy', 'Hamming loss', 'ECE']);
      assert.ok(await view.locator('#per-class th', { hasText: 'Threshold' }).count(), 'a threshold column');
      assert.deepEqual(
        await view.locator('#per-class td.threshold').allTextContents(),
        manifest.metrics.validation.multiLabel.thresholds.map((t) => t.toFixed(2)),
      );
      // The run list says what its accuracy is: subset accuracy, as the headline does.
      const runScores = (await view.locator(`[data-run-id="${manifest.runId}"] .run-scores`).textContent()).trim();
      assert.match(runScores, /^subset accuracy \d/, runScores);
      await view.locator('#runs').evaluate((el) => el.scrollIntoView({ block: 'start' }));
      await page.waitForTimeout(150);
      await snap('runs-dark');
      await view.locator('#confusion', { hasText: 'Label co-occurrence' }).waitFor();
      assert.ok(await view.locator('#confusion th', { hasText: 'False alarms' }).count());
      await view.locator('#scores').evaluate((el) => el.scrollIntoView({ block: 'start' }));
      await page.waitForTimeout(150);
      await snap('sidebar-dark');
      await view.locator('#confusion').evaluate((el) => el.scrollIntoView({ block: 'start' }));
      await page.waitForTimeout(150);
      await snap('cooccurrence-dark');
    },
  },
  {
    name: 'multi-label: the same in Light Modern, then back to Dark Modern with the lines file closed',
    async run(page, snap) {
      await chooseTheme(page, 'Light Modern');
      await page.locator('.monaco-workbench.vs').waitFor();
      const view = metricsFrame(page);
      await view.locator('body.vscode-light').waitFor({ timeout: 15_000 });
      await view.locator('#scores').evaluate((el) => el.scrollIntoView({ block: 'start' }));
      await page.waitForTimeout(150);
      await snap('sidebar-light');
      await chooseTheme(page, 'Dark Modern');
      await page.locator('.monaco-workbench.vs-dark').waitFor();
      await page.locator('.tab', { hasText: LINES_FILE }).click();
      await runFromPalette(page, 'View: Close Editor', async () => {});
      await page.locator('.tab', { hasText: LINES_FILE }).waitFor({ state: 'detached' });
    },
  },
];
