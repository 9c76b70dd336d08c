// How a multi-label model turns sigmoids into labels (src/core/multiLabel.ts). A model trained on rows that all have
// a label gives every line at least its most probable class (LabelRule.atLeastOneLabel): learned from the training
// rows, saved in textcat.json, checked by the loader, applied by predictions and metrics alike. Its thresholds
// balance micro- and macro-F1 on validation (balanceThresholds).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { onnx } from 'onnx-proto';
import { initBackend } from '../../src/core/backend';
import { exportOnnx } from '../../src/core/export/exportModel';
import { predictLines } from '../../src/core/jobs';
import { computeMultiLabelMetrics } from '../../src/core/evaluation/metrics';
import { balanceThresholds, everyRowLabeled, givenClasses, microPlusMacroF1, rowsOf, tuneThresholds } from '../../src/core/multiLabel';
import { createRng } from '../../src/core/random';
import { MultiLabelTargets } from '../../src/core/training/multiLabelTraining';
import { loadModel } from '../../src/core/store/modelStore';
import { requirePython, runPython } from '../shared/python';
import { saveSyntheticModel } from '../shared/savedModels';
import type { Example } from '../../src/core/types';

before(initBackend);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'textcat-at-least-one-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const row = (labels: string[], line: number): Example => ({ text: labels.join(' ') || 'nothing', label: labels.join(', '), labels, line });

test('givenClasses: the top class when none reaches its threshold, only under atLeastOneLabel', () => {
  const probabilities = [0.2, 0.4, 0.1, /* row 1 */ 0.9, 0.1, 0.8];
  const thresholds = [0.5, 0.5, 0.5];
  assert.deepEqual(givenClasses(probabilities, 0, { thresholds }), []);
  assert.deepEqual(givenClasses(probabilities, 0, { thresholds, atLeastOneLabel: false }), []);
  assert.deepEqual(givenClasses(probabilities, 0, { thresholds, atLeastOneLabel: true }), [1]);
  // A row with classes over their thresholds keeps exactly those, most probable first.
  assert.deepEqual(givenClasses(probabilities, 1, { thresholds, atLeastOneLabel: true }), [0, 2]);
});

test('rowsOf gathers the multi-hot rows asked for, in their order', () => {
  const targets = [1, 0, /* row 1 */ 0, 1, /* row 2 */ 1, 1];
  assert.deepEqual(rowsOf(targets, [2, 0, 2], 2), [1, 1, 1, 0, 1, 1]);
  assert.deepEqual(rowsOf(targets, [], 2), []);
});

test('what a model learns: every training row has a label, or not', () => {
  assert.equal(everyRowLabeled([1, 0, 0, 1, 1, 1], 2), true);
  assert.equal(everyRowLabeled([1, 0, 0, 0, 1, 1], 2), false);
  assert.equal(everyRowLabeled([], 2), false, 'no rows: nothing learned');
  assert.equal(new MultiLabelTargets([row(['a'], 2), row(['a', 'b'], 3)]).atLeastOneLabel, true);
  assert.equal(new MultiLabelTargets([row(['a'], 2), row(['a', 'b'], 3), row([], 4)]).atLeastOneLabel, false);
});

test('metrics score the rule the model predicts with: the fallback turns a missed row into a hit', () => {
  const truth = [0, 1, /* row 1 */ 1, 0];
  const probabilities = [0.1, 0.3, /* row 1 */ 0.9, 0.2];
  const thresholds = [0.5, 0.5];
  const plain = computeMultiLabelMetrics(['a', 'b'], truth, probabilities, thresholds);
  const fallback = computeMultiLabelMetrics(['a', 'b'], truth, probabilities, thresholds, { atLeastOneLabel: true });
  assert.equal(plain.multiLabel!.subsetAccuracy, 0.5);
  assert.deepEqual(plain.multiLabel!.missed, [0, 1]);
  assert.equal(fallback.multiLabel!.subsetAccuracy, 1);
  assert.deepEqual(fallback.multiLabel!.missed, [0, 0]);
  assert.equal(fallback.multiLabel!.microF1, 1);
});

const LABELS = ['billing', 'bug', 'feature'];
const HIGH = [0.999, 0.999, 0.999];

test('textcat.json round trip: saved, loaded and applied by predictions; absent means none', async () => {
  const withRule = path.join(dir, 'with');
  const without = path.join(dir, 'without');
  await saveSyntheticModel(withRule, {
    bidirectional: false,
    wide: true,
    labels: LABELS,
    seed: 3,
    thresholds: HIGH,
    atLeastOneLabel: true,
  });
  await saveSyntheticModel(without, { bidirectional: false, wide: true, labels: LABELS, seed: 3, thresholds: HIGH });
  const manifest = JSON.parse(fs.readFileSync(path.join(withRule, 'textcat.json'), 'utf8')) as Record<string, unknown>;
  assert.equal(manifest.atLeastOneLabel, true);
  assert.equal(
    (JSON.parse(fs.readFileSync(path.join(without, 'textcat.json'), 'utf8')) as Record<string, unknown>).atLeastOneLabel,
    undefined,
  );
  const [a, b] = [await loadModel(withRule), await loadModel(without)];
  assert.equal(a.atLeastOneLabel, true);
  assert.equal(b.atLeastOneLabel, undefined);
  const lines = ['the invoice is wrong', 'it crashes', 'please add dark mode'];
  const [given, none] = [await predictLines(a, lines), await predictLines(b, lines)];
  // Every probability is under 0.999: without the rule no line gets a label, with it each gets its top class.
  assert.deepEqual(
    none.map((p) => p.labels),
    lines.map(() => []),
  );
  assert.deepEqual(
    given.map((p) => p.labels),
    given.map((p) => [p.label]),
  );
});

test('the loader refuses an atLeastOneLabel that is no boolean, or on a single-label model', async () => {
  const single = path.join(dir, 'single');
  const multi = path.join(dir, 'multi');
  await saveSyntheticModel(single, { bidirectional: false, wide: false, labels: LABELS, seed: 4 });
  await saveSyntheticModel(multi, { bidirectional: false, wide: false, labels: LABELS, seed: 4, thresholds: [0.5, 0.5, 0.5] });
  const rewrite = (folder: string, change: Record<string, unknown>) => {
    const file = path.join(folder, 'textcat.json');
    fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(fs.readFileSync(file, 'utf8')), ...change }));
  };
  rewrite(multi, { atLeastOneLabel: 'yes' });
  await assert.rejects(loadModel(multi), /"atLeastOneLabel" must be true or false; the model is damaged/);
  rewrite(multi, { atLeastOneLabel: false });
  assert.equal((await loadModel(multi)).atLeastOneLabel, undefined, 'false reads as absent');
  rewrite(single, { atLeastOneLabel: true });
  await assert.rejects(loadModel(single), /"atLeastOneLabel" belongs to multi-label models only/);
});

/** [n, K] sigmoids that know something of [n, K] targets: a common class, a middling one and rare ones. */
function noisyRows(n: number, K: number, seed: number): { probabilities: number[]; targets: number[] } {
  const rng = createRng(seed);
  const targets: number[] = [];
  const probabilities: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < K; j++) {
      const yes = rng() < 0.4 / (j + 1) ? 1 : 0;
      targets.push(yes);
      probabilities.push(Math.min(0.99, Math.max(0.001, (yes ? 0.35 : 0.1) + (rng() - 0.5) * 0.6)));
    }
  }
  return { probabilities, targets };
}

test('microPlusMacroF1 is what computeMultiLabelMetrics reports, with and without the fallback', () => {
  const K = 4;
  const { probabilities, targets } = noisyRows(200, K, 11);
  const labels = ['a', 'b', 'c', 'd'];
  for (const atLeastOneLabel of [false, true]) {
    const thresholds = [0.3, 0.2, 0.45, 0.1];
    const m = computeMultiLabelMetrics(labels, targets, probabilities, thresholds, { atLeastOneLabel });
    const sum = microPlusMacroF1(probabilities, targets, { thresholds, atLeastOneLabel });
    assert.ok(Math.abs(sum - (m.multiLabel!.microF1 + m.macroF1)) < 1e-12, `${sum} vs ${m.multiLabel!.microF1 + m.macroF1}`);
  }
});

test('balanceThresholds starts from per-class F1 and only moves a threshold where micro- plus macro-F1 rises', () => {
  const K = 5;
  const { probabilities, targets } = noisyRows(400, K, 7);
  for (const atLeastOneLabel of [false, true]) {
    const perClass = tuneThresholds(probabilities, targets, K).thresholds;
    const balanced = balanceThresholds(probabilities, targets, K, atLeastOneLabel);
    const score = (thresholds: number[]) => microPlusMacroF1(probabilities, targets, { thresholds, atLeastOneLabel });
    assert.notDeepEqual(balanced.thresholds, perClass, 'these rows have a better balance than per-class F1');
    assert.ok(score(balanced.thresholds) > score(perClass));
    // Every threshold is one of the candidates, and no class lost a row it was given on validation.
    assert.ok(balanced.thresholds.every((t) => Number.isInteger(Math.round(t * 100)) && t >= 0.01 && t <= 0.99));
    assert.deepEqual(balanced.neverPredicted, []);
  }
  // Nothing to tune on: tuneThresholds' 0.5 for each class, none listed as never given.
  assert.deepEqual(balanceThresholds([], [], 3, true), { thresholds: [0.5, 0.5, 0.5], neverPredicted: [] });
});

/** The ascent as first written: every candidate of every class scored by microPlusMacroF1 over all rows. */
function balanceByFullScoring(probabilities: number[], targets: number[], K: number, atLeastOneLabel: boolean): number[] {
  const thresholds = tuneThresholds(probabilities, targets, K).thresholds;
  const candidates = Array.from({ length: 99 }, (_, i) => (i + 1) / 100);
  const objective = (t: readonly number[]) => microPlusMacroF1(probabilities, targets, { thresholds: t, atLeastOneLabel });
  let best = objective(thresholds);
  for (let round = 0; round < 2; round++) {
    let moved = false;
    for (let j = 0; j < K; j++) {
      let choice = thresholds[j];
      for (const t of candidates) {
        thresholds[j] = t;
        const value = objective(thresholds);
        if (value > best + 1e-12) [best, choice, moved] = [value, t, true];
      }
      thresholds[j] = choice;
    }
    if (!moved) break;
  }
  return thresholds;
}

test('balanceThresholds chooses exactly what scoring every candidate over all rows chooses', () => {
  // Its per-class shortcut must not change a single choice: ties and the fallback's top class included.
  for (const [n, K, seed] of [
    [400, 5, 7],
    [300, 12, 3],
    [150, 28, 19],
    [60, 2, 5],
  ]) {
    const rows = noisyRows(n, K, seed);
    // Rounded to the candidates' grid too: probabilities equal to a threshold, and rows whose top class is a tie.
    for (const probabilities of [rows.probabilities, rows.probabilities.map((p) => Math.round(p * 100) / 100)])
      for (const atLeastOneLabel of [false, true]) {
        const targets = rows.targets;
        const expected = balanceByFullScoring(probabilities, targets, K, atLeastOneLabel);
        assert.deepEqual(
          balanceThresholds(probabilities, targets, K, atLeastOneLabel).thresholds,
          expected,
          `n ${n}, K ${K}, fallback ${atLeastOneLabel}`,
        );
      }
  }
});

test('exports carry the rule, and the reference loaders apply it as predict does', async (t) => {
  const folder = path.join(dir, 'exported');
  await saveSyntheticModel(folder, { bidirectional: true, wide: true, labels: LABELS, seed: 9, thresholds: HIGH, atLeastOneLabel: true });
  const onnxFile = path.join(dir, 'exported.onnx');
  await exportOnnx(folder, onnxFile);
  const meta = Object.fromEntries(onnx.ModelProto.decode(fs.readFileSync(onnxFile)).metadataProps.map((p) => [p.key ?? '', p.value ?? '']));
  assert.equal(meta['textcat.at_least_one_label'], 'true');
  const spec = JSON.parse(fs.readFileSync(path.join(dir, 'exported.tokenizer.json'), 'utf8')) as Record<string, unknown>;
  assert.equal(spec.atLeastOneLabel, true);
  const lines = ['the invoice is wrong', 'it crashes', 'please add dark mode'];
  const linesFile = path.join(dir, 'rule-lines.txt');
  fs.writeFileSync(linesFile, `${lines.join('\n')}\n`);
  // Every probability is under 0.999, so each line's labels are its top class alone, as textcat predict gives it.
  const want = (await predictLines(await loadModel(folder), lines)).map((p) => [p.label]);
  const labelsOf = (stdout: string) =>
    stdout
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { labels: { label: string }[] }).labels.map((x) => x.label));
  const node = spawnSync(process.execPath, [path.resolve(__dirname, '../../examples/node/predict-onnx.mjs'), onnxFile, linesFile], {
    encoding: 'utf8',
  });
  assert.equal(node.status, 0, node.stderr);
  assert.deepEqual(labelsOf(node.stdout), want, 'predict-onnx.mjs');
  const python = requirePython(t, ['numpy', 'icu'], 'apt-get install python3-numpy python3-icu');
  if (!python) return;
  const numpy = runPython(python, [path.resolve(__dirname, '../../examples/python/textcat_numpy.py'), folder, linesFile]);
  assert.equal(numpy.status, 0, numpy.stderr);
  assert.deepEqual(labelsOf(numpy.stdout), want, 'textcat_numpy.py');
});
