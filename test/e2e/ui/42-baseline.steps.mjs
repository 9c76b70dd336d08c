// The yardstick in the Metrics view: the model's macro-F1 beside the linear baseline trained in the same run, and
// a plain sentence when the model does not beat it. Models come from the CLI, trained on datasets written here.
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

function writeDataset(workspace) {
  const rows = Object.entries(KEYWORDS).flatMap(([label, words]) =>
    Array.from(
      { length: 30 },
      (_, i) => `${NOISE[i % NOISE.length]} ${words[i % words.length]} ${NOISE[(i * 3) % NOISE.length]} ${i},${label}`,
    ),
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

export default [
  {
    name: 'baseline: the model overview shows the model’s macro-F1 beside the linear baseline’s',
    async run(page, snap, context) {
      const workspace = workspaceOf(page, context);
      assert.ok(workspace && existsSync(workspace), `the UI workspace: ${workspace}`);
      const csv = writeDataset(workspace);
      const manifest = train(workspace, csv, ['--epochs', '3', '--learning-rate', '0.01']);
      assert.ok(manifest.baseline?.validation, 'textcat.json records the baseline');
      const baseline = await showModel(page, manifest);
      const line = (await baseline.locator('.baseline-scores').textContent()) ?? '';
      const expected = `Macro-F1 (validation set): LSTM ${manifest.metrics.validation.macroF1.toFixed(3)} · baseline ${manifest.baseline.validation.macroF1.toFixed(3)}`;
      assert.equal(line.trim(), expected);
      const [model, linear] = [manifest.metrics.validation.macroF1, manifest.baseline.validation.macroF1];
      const ties = model.toFixed(3) === linear.toFixed(3); // as shown: 1.000 against 1.000 is a tie, said without a warning
      const beats = model > linear && !ties;
      assert.equal(await baseline.getAttribute('data-beats'), String(beats));
      assert.equal(await baseline.locator('.warning').count(), beats || ties ? 0 : 1);
      assert.equal(await baseline.locator('.baseline-tie').count(), ties ? 1 : 0);
      assert.match(
        (await baseline.locator('.baseline-combination').textContent()) ?? '',
        /LSTM['’]s logits × [\d.]+ and the n-gram table['’]s × [\d.]+/,
      );
      await snap('scores');
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
      const baseline = await showModel(page, manifest);
      assert.equal(await baseline.getAttribute('data-beats'), 'false');
      const warning = baseline.locator('.warning');
      assert.match((await warning.textContent()) ?? '', /^The model does not beat the linear baseline .* on the validation set\./);
      assert.equal(await baseline.locator('.baseline-combination').count(), 0, 'no wide path, no combination');
      await snap('not-beaten');
    },
  },
];
