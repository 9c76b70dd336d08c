// The yardstick in the Metrics view: the model's macro-F1 beside the linear baseline trained in the same run, and
// a plain sentence when the model does not beat it. With a wide path (the default) the model is the LSTM plus the
// n-grams: three figures (model, LSTM alone, baseline), and a sentence when the LSTM weighs 0 or trails the
// baseline alone. Models come from the CLI, trained on datasets written here.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { metricsFrame, runFromPalette } from './workbench.mjs';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const DATASET = 'baseline-dataset.csv';
const KEYWORDS = {
  billing: ['invoice', 'refund', 'charge'],
  shipping: ['parcel', 'courier', 'tracking'],
  login: ['password', 'locked', 'signin'],
};
const NOISE = ['please', 'help', 'my', 'today', 'again', 'the', 'with', 'now'];

const workspaceOf = (page, context) => context?.workspace ?? new URL(page.url()).searchParams.get('folder');

/**
 * `perClass` rows per class; with `mislabelEvery`, one row in that many carries the next class's label, so that
 * neither the baseline nor the LSTM is sure of everything and the combination gives the LSTM a share.
 */
function writeDataset(workspace, { perClass = 30, mislabelEvery = 0 } = {}) {
  const labels = Object.keys(KEYWORDS);
  const rows = Object.entries(KEYWORDS).flatMap(([label, words], k) =>
    Array.from({ length: perClass }, (_, i) => {
      const written = mislabelEvery && i % mislabelEvery === 3 ? labels[(k + 1) % labels.length] : label;
      return `${NOISE[i % NOISE.length]} ${words[i % words.length]} ${NOISE[(i * 3) % NOISE.length]} ${i},${written}`;
    }),
  );
  // Outside the workspace, so the Explorer and the dataset quick pick of other steps stay as they were.
  const csv = join(dirname(workspace), DATASET);
  writeFileSync(csv, ['text,label', ...rows].join('\n') + '\n');
  return csv;
}

function train(workspace, csv, extra) {
  const out = join(workspace, '.textcat', 'model');
  execFileSync(
    process.execPath,
    ['dist/cli.js', 'train', csv, '--out', out, '--hidden-units', '8', '--embedding-dim', '8', '--quiet', ...extra],
    { cwd: ROOT, stdio: 'pipe' },
  );
  return JSON.parse(readFileSync(join(out, 'textcat.json'), 'utf8'));
}

async function showModel(page, manifest) {
  await runFromPalette(page, 'Textcat: Show Metrics', async () => {});
  const view = metricsFrame(page);
  await view.locator('body[data-ready="true"]').waitFor();
  // The folder watcher reloads the model; the run list then starts with this run.
  await view.locator(`.runs li:first-child [data-run-id="${manifest.runId}"]`).waitFor({ timeout: 20_000 });
  const baseline = view.locator('#model #baseline');
  await baseline.waitFor();
  await baseline.evaluate((el) => el.scrollIntoView({ block: 'center' }));
  return baseline;
}

const f3 = (x) => x.toFixed(3);

/** The figures of the three-row table a wide model shows, by row. */
async function tableFigures(baseline) {
  const table = baseline.locator('table.baseline-scores');
  const cell = async (row) => ((await table.locator(`tr.${row} td`).textContent()) ?? '').trim();
  return {
    caption: ((await table.locator('caption').textContent()) ?? '').trim(),
    rows: await table.locator('tbody th').allTextContents(),
    model: await cell('score-model'),
    lstm: await cell('score-lstm'),
    baseline: await cell('score-baseline'),
  };
}

/** What verdict.ts's lstmNote decides, from the manifest: the note the page must show, if any. */
function expectedNote(manifest) {
  const [lstm, base] = [manifest.lstm.validation.macroF1, manifest.baseline.validation.macroF1];
  if (manifest.combination.lstm === 0) return 'unused';
  return lstm < base && f3(lstm) !== f3(base) ? 'below' : undefined;
}

export default [
  {
    name: 'baseline: a wide model shows three figures: the model (LSTM + n-grams), the LSTM alone and the baseline',
    async run(page, snap, context) {
      const workspace = workspaceOf(page, context);
      assert.ok(workspace && existsSync(workspace), `the UI workspace: ${workspace}`);
      const csv = writeDataset(workspace, { perClass: 60, mislabelEvery: 7 });
      const manifest = train(workspace, csv, ['--epochs', '8', '--learning-rate', '0.01']);
      assert.ok(manifest.baseline?.validation, 'textcat.json records the baseline');
      assert.ok(manifest.combination && manifest.lstm?.validation, 'and, with a wide path, the LSTM alone');
      assert.ok(manifest.combination.lstm > 0, `the LSTM takes part: ${JSON.stringify(manifest.combination)}`);
      const baseline = await showModel(page, manifest);
      assert.deepEqual(await tableFigures(baseline), {
        caption: 'Macro-F1 (validation set)',
        rows: ['Model (LSTM + n-grams)', 'LSTM alone', 'Baseline (n-grams)'],
        model: f3(manifest.metrics.validation.macroF1),
        lstm: f3(manifest.lstm.validation.macroF1),
        baseline: f3(manifest.baseline.validation.macroF1),
      });
      const [model, base] = [manifest.metrics.validation.macroF1, manifest.baseline.validation.macroF1];
      const ties = f3(model) === f3(base);
      const beats = model > base && !ties;
      assert.equal(await baseline.getAttribute('data-beats'), String(beats));
      assert.equal(await baseline.locator('.baseline-tie').count(), ties ? 1 : 0);
      assert.equal(await baseline.locator('.warning:not(.baseline-lstm-note)').count(), beats || ties ? 0 : 1);
      const note = expectedNote(manifest);
      assert.equal((await baseline.getAttribute('data-lstm-note')) ?? undefined, note);
      assert.equal(await baseline.locator('.baseline-lstm-note').count(), note ? 1 : 0);
      if (note !== 'unused') {
        assert.match(
          (await baseline.locator('.baseline-combination').textContent()) ?? '',
          /LSTM['’]s logits × [\d.]+ and the n-gram table['’]s × [\d.]+/,
        );
      }
      await snap('scores');
    },
  },
  {
    name: 'baseline: when the LSTM weighs 0 in the model, the page gives its own score and says the model relies on the n-grams',
    async run(page, snap, context) {
      const workspace = workspaceOf(page, context);
      // The blind LSTM below, with the default wide path: the combination leaves it out.
      const manifest = train(workspace, writeDataset(workspace), ['--epochs', '2', '--vocab-size', '3']);
      assert.equal(manifest.combination.lstm, 0, JSON.stringify(manifest.combination));
      const baseline = await showModel(page, manifest);
      const figures = await tableFigures(baseline);
      assert.equal(figures.lstm, f3(manifest.lstm.validation.macroF1));
      assert.equal(figures.model, figures.baseline, 'weight 0: the model scores as the baseline');
      assert.equal(await baseline.getAttribute('data-lstm-note'), 'unused');
      assert.equal(
        ((await baseline.locator('.baseline-lstm-note').textContent()) ?? '').trim(),
        `The LSTM alone scores ${figures.lstm}; on this data the model relies on the n-gram path (LSTM weight 0).`,
      );
      assert.equal(await baseline.locator('.baseline-combination').count(), 0, 'the note says the weights');
      assert.equal(await baseline.locator('.baseline-tie').count(), 1, 'model and baseline tie');
      await snap('lstm-unused');
    },
  },
  {
    name: 'baseline: a model that does not beat it says so plainly',
    async run(page, snap, context) {
      const workspace = workspaceOf(page, context);
      // An LSTM that sees only unknown tokens (a vocabulary of padding, unknown and one word) and no wide path
      // cannot tell the classes apart; the baseline reads every n-gram and can.
      const manifest = train(workspace, writeDataset(workspace), ['--epochs', '2', '--vocab-size', '3', '--wide-ngrams', '0']);
      assert.ok(manifest.baseline.validation.macroF1 > manifest.metrics.validation.macroF1);
      assert.equal(manifest.lstm, undefined, 'no wide path: the model is the LSTM');
      const baseline = await showModel(page, manifest);
      assert.equal(await baseline.getAttribute('data-beats'), 'false');
      // The model is the LSTM: two figures, in one line.
      assert.equal(
        ((await baseline.locator('p.baseline-scores').textContent()) ?? '').trim(),
        `Macro-F1 (validation set): LSTM ${f3(manifest.metrics.validation.macroF1)} · baseline ${f3(manifest.baseline.validation.macroF1)}`,
      );
      const warning = baseline.locator('.warning');
      assert.match((await warning.textContent()) ?? '', /^The model does not beat the linear baseline .* on the validation set\./);
      assert.equal(await baseline.locator('.baseline-combination, .baseline-lstm-note, table').count(), 0, 'no wide path, no combination');
      await snap('not-beaten');
    },
  },
];
