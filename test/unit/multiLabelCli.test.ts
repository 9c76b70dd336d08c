// A multi-label model end to end: trained on rows with no label, "alpha", "beta" or both (each label decided by
// its own word), saved, loaded back, and used through the built CLI (dist/cli.js; `npm run build` first):
// `predict` gives every label over its threshold, `eval` prints the multi-label scores, `--threshold` overrides
// the tuned thresholds and is checked. The rows are built here with `labels`, so no dataset reader is involved
// in training; `eval` reads a CSV of one label per row (a multi-label model reads such a row as that one label).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { initBackend } from '../../src/core/backend';
import { explainLines } from '../../src/core/analysis/explain';
import { resolveOptions } from '../../src/core/options';
import { createRng } from '../../src/core/random';
import { train } from '../../src/core/training/train';
import { loadModel, saveModel, summarizeDataset, type ModelManifest } from '../../src/core/store/modelStore';
import { readModelSummary } from '../../src/core/store/modelSummary';
import type { Example } from '../../src/core/types';
import { expectExit, textcat as run } from '../shared/fixtureModels';
import { keywordExamples, toCsv } from './fixtures';

const NOISE = ['the', 'server', 'user', 'request', 'again', 'now', 'with', 'today', 'please', 'from'];
const SETS = [[], ['alpha'], ['beta'], ['alpha', 'beta']];

function rows(count: number, seed: number): Example[] {
  const rng = createRng(seed);
  return Array.from({ length: count }, (_, i) => {
    const labels = SETS[i % SETS.length];
    const words = Array.from({ length: 2 + Math.floor(rng() * 5) }, () => NOISE[Math.floor(rng() * NOISE.length)]);
    for (const label of labels) words.splice(Math.floor(rng() * (words.length + 1)), 0, label);
    return { text: words.join(' '), label: labels.join(', '), labels, line: i + 2 };
  });
}

let dir: string;
let modelDir: string;
const textcat = (args: string[], input = '') => run(args, dir, input);

before(async () => {
  await initBackend();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'textcat-multilabel-'));
  modelDir = path.join(dir, 'model');
  const data = rows(400, 1);
  const options = resolveOptions({ epochs: 8, embeddingDim: 8, hiddenUnits: 8, learningRate: 0.01, seed: 3 });
  const result = await train({ train: data, test: rows(80, 2), options });
  const columns = { text: 'text', label: 'labels', source: 'header' as const, confident: true, available: ['text', 'labels'] };
  await saveModel(
    modelDir,
    result,
    summarizeDataset(data, { path: 'mem.csv', format: 'csv', columns, sha256: 'x', warnings: [] }, result.tokenizer),
  );
});

after(() => fs.rmSync(dir, { recursive: true, force: true }));

test('the saved model is multi-label with a threshold per label, and loads back with them', async () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(modelDir, 'textcat.json'), 'utf8')) as ModelManifest;
  assert.deepEqual(manifest.labels, ['alpha', 'beta']);
  assert.equal(manifest.multiLabel, true);
  assert.equal(manifest.shape.multiLabel, true);
  assert.equal(manifest.thresholds!.length, 2);
  assert.ok(manifest.thresholds!.every((t) => t > 0 && t < 1));
  const validation = manifest.metrics.validation!;
  assert.ok(validation.multiLabel!.microF1 >= 0.95, `validation micro-F1 ${validation.multiLabel!.microF1}`);
  assert.equal(validation.accuracy, validation.multiLabel!.subsetAccuracy);
  assert.ok(manifest.metrics.test!.multiLabel!.subsetAccuracy >= 0.9);
  // Stored validation rows keep both label lists, so a drill-down can find those of one co-occurrence cell.
  const both = manifest.validationExamples.find((e) => e.labels!.length === 2)!;
  assert.deepEqual(both.labels, ['alpha', 'beta']);
  assert.ok(Array.isArray(both.predictedLabels));
  const loaded = await loadModel(modelDir);
  assert.deepEqual(loaded.thresholds, manifest.thresholds);
  assert.equal(loaded.shape.multiLabel, true);
  const summary = readModelSummary(modelDir);
  assert.deepEqual(summary.thresholds, manifest.thresholds);
  assert.equal(summary.multiLabel, true);
  // The run list knows the run is multi-label, so the sidebar names its accuracy subset accuracy.
  assert.equal(summary.runs[0].multiLabel, true);
  assert.equal(summary.runs[0].accuracy, validation.accuracy);
  assert.deepEqual(summary.metrics.validation!.multiLabel, validation.multiLabel);
  assert.equal(summary.validationExamples.length, manifest.validationExamples.length);
});

test('predict prints every label over its threshold, most probable first, and --json lists them', () => {
  const input = 'alpha now\nthe beta today\nalpha with beta\nthe user again\n';
  const text = textcat(['predict', modelDir, '-'], input);
  expectExit(text, 0);
  const given = text.stdout
    .trim()
    .split('\n')
    .map((l) => l.split('\t'));
  assert.deepEqual(
    given.map((r) => [r[0], r[1].split(', ').sort().join(', '), r[3]]),
    [
      ['1', 'alpha', 'alpha now'],
      ['2', 'beta', 'the beta today'],
      ['3', 'alpha, beta', 'alpha with beta'],
      ['4', '', 'the user again'],
    ],
  );
  assert.equal(given[2][2].split(', ').length, 2, 'one probability per label given');
  const json = textcat(['predict', modelDir, '-', '--json'], input);
  expectExit(json, 0);
  const lines = json.stdout
    .trim()
    .split('\n')
    .map(
      (l) => JSON.parse(l) as { label: string; probabilities: Record<string, number>; labels: { label: string; probability: number }[] },
    );
  assert.deepEqual(
    lines.map((l) => l.labels.map((x) => x.label).sort()),
    [['alpha'], ['beta'], ['alpha', 'beta'], []],
  );
  const pair = lines[2].labels;
  assert.ok(pair[0].probability >= pair[1].probability, 'most probable first');
  assert.equal(pair[0].probability, lines[2].probabilities[pair[0].label]);
  assert.equal(lines[2].label, pair[0].label, 'label stays the most probable class');
});

test('--threshold overrides the tuned thresholds, and a bad one or a single-label model is bad usage', () => {
  const everything = textcat(['predict', modelDir, '-', '--threshold', '0.000001', '--json'], 'the user again\n');
  expectExit(everything, 0);
  assert.equal((JSON.parse(everything.stdout) as { labels: unknown[] }).labels.length, 2, 'at a tiny threshold every label is given');
  for (const bad of ['0', '1', '1.5', '-0.2', 'half', '']) {
    const r = textcat(['predict', modelDir, '-', `--threshold=${bad}`], 'alpha\n');
    expectExit(r, 2);
    assert.match(r.stderr, /--threshold must be a probability between 0 and 1/);
  }
  const csv = path.join(dir, 'single.csv');
  fs.writeFileSync(csv, toCsv(keywordExamples(60)));
  const single = path.join(dir, 'single-model');
  expectExit(textcat(['train', csv, '--out', single, '--epochs', '1', '--hidden-units', '4', '--embedding-dim', '4', '--quiet']), 0);
  const refused = textcat(['eval', single, csv, '--threshold', '0.5']);
  expectExit(refused, 2);
  assert.match(refused.stderr, /--threshold applies to multi-label models/);
});

test('eval prints micro-, macro- and samples-F1, subset accuracy, Hamming loss and per-label scores at the thresholds', () => {
  // One label per row: "alpha" rows and "beta" rows, each read by the multi-label model as that one label.
  const csv = path.join(dir, 'eval.csv');
  const single = rows(120, 5).filter((e) => e.labels!.length === 1);
  fs.writeFileSync(csv, ['text,label', ...single.map((e) => `${e.text},${e.labels![0]}`)].join('\n'));
  const text = textcat(['eval', modelDir, csv]);
  expectExit(text, 0);
  assert.match(
    text.stdout,
    /micro-F1 \d\.\d{3}, macro-F1 \d\.\d{3}, samples-F1 \d\.\d{3}, subset accuracy [\d.]+%, Hamming loss \d\.\d{4} \(60 rows, multi-label\)/,
  );
  assert.match(text.stdout, /class\s+prec\.\s+recall\s+F1\s+support\s+threshold/);
  assert.match(text.stdout, /\n {2}alpha\s+\d\.\d{3}\s+\d\.\d{3}\s+\d\.\d{3}\s+30\s+0\.\d{3}/);
  const json = JSON.parse(textcat(['eval', modelDir, csv, '--json']).stdout) as {
    accuracy: number;
    multiLabel: { subsetAccuracy: number; microF1: number; thresholds: number[] };
    confusion: number[][];
  };
  assert.equal(json.accuracy, json.multiLabel.subsetAccuracy);
  assert.ok(json.multiLabel.microF1 >= 0.9, `micro-F1 ${json.multiLabel.microF1}`);
  assert.equal(json.confusion[0][0] + json.confusion[1][1] > 50, true, 'the diagonal holds the true positives');
  const strict = JSON.parse(textcat(['eval', modelDir, csv, '--json', '--threshold', '0.999999']).stdout) as typeof json;
  assert.deepEqual(strict.multiLabel.thresholds, [0.999999, 0.999999]);
  assert.ok(strict.multiLabel.microF1 < json.multiLabel.microF1, 'a near-1 threshold gives fewer labels');
});

test('a multi-label manifest with missing, misplaced or out-of-range thresholds is refused as damaged', async () => {
  const file = path.join(modelDir, 'textcat.json');
  const original = fs.readFileSync(file, 'utf8');
  const manifest = JSON.parse(original) as ModelManifest & Record<string, unknown>;
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ thresholds: [0.5] }, /"thresholds", one per label \(2\)/],
    [{ thresholds: [0, 0.5] }, /"thresholds\[0\]" must be a number between 0 and 1/],
    [{ thresholds: [0.5, 1] }, /"thresholds\[1\]"/],
    [{ thresholds: [0.5, '0.5'] }, /"thresholds\[1\]"/],
    [{ thresholds: undefined }, /needs "thresholds"/],
    [{ multiLabel: 'yes' }, /"multiLabel" must be true or false/],
    [{ multiLabel: undefined }, /"shape.multiLabel" and "multiLabel" disagree/],
  ];
  try {
    for (const [change, why] of cases) {
      fs.writeFileSync(file, JSON.stringify({ ...manifest, ...change }));
      await assert.rejects(loadModel(modelDir), why);
      assert.throws(() => readModelSummary(modelDir), why);
    }
  } finally {
    fs.writeFileSync(file, original);
  }
});

test('"why this label" explains a multi-label line by its most probable class', async () => {
  const model = await loadModel(modelDir);
  const [explained] = await explainLines(model, ['the beta today']);
  assert.equal(explained.label, 'beta');
  const top = explained.tokens.reduce((a, b) => (b.weight > a.weight ? b : a));
  assert.equal(top.token, 'beta');
});
