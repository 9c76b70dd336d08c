import { test } from 'node:test';
import assert from 'node:assert/strict';
import { argmax, computeMetrics } from '../../src/core/evaluation/metrics';
import type { Metrics } from '../../src/core/types';

const close = (actual: number, expected: number, what = '') =>
  assert.ok(Math.abs(actual - expected) < 1e-9, `${what}: ${actual} ≠ ${expected}`);

function assertNoNaN(metrics: Metrics) {
  const text = JSON.stringify(metrics);
  assert.ok(!text.includes('null'), `NaN or Infinity serialised as null: ${text}`);
}

test('argmax picks the largest in a row slice, first one on ties', () => {
  assert.equal(argmax([0.1, 0.7, 0.2]), 1);
  assert.equal(argmax([0.4, 0.4, 0.2]), 0);
  assert.equal(argmax([9, 9, 0.2, 0.5, 0.3], 2, 3), 1);
  assert.equal(argmax(new Float32Array([0.3, 0.3, 0.4, 0.1]), 0, 2), 0);
});

// Small example, three classes, six rows (truth, probabilities → prediction, confidence):
//   0 [.9 .05 .05] → 0 ✓ .9     1 [.1 .8 .1] → 1 ✓ .8
//   0 [.6 .3  .1 ] → 0 ✓ .6     1 [.5 .4 .1] → 0 ✗ .5
//   0 [.2 .7  .1 ] → 1 ✗ .7     2 [.3 .3 .4] → 2 ✓ .4
// confusion[true][pred] = [[2,1,0],[1,1,0],[0,0,1]]
// accuracy = 4/6
// a: tp 2, predicted 3, support 3 → P 2/3, R 2/3, F1 2/3
// b: tp 1, predicted 2, support 2 → P 1/2, R 1/2, F1 1/2
// c: tp 1, predicted 1, support 1 → P 1,   R 1,   F1 1
// macro F1 = (2/3 + 1/2 + 1) / 3 = 13/18
// weighted F1 = (3·2/3 + 2·1/2 + 1·1) / 6 = 4/6
// ECE, 10 bins, one row per bin: |acc − conf| = .1 + .4 + .7 + .2 + .5 + .6 = 2.5 → 2.5/6
const labels = ['a', 'b', 'c'];
const truth = [0, 0, 0, 1, 1, 2];
// prettier-ignore
const probabilities = [
  0.9, 0.05, 0.05,
  0.6, 0.3, 0.1,
  0.2, 0.7, 0.1,
  0.1, 0.8, 0.1,
  0.5, 0.4, 0.1,
  0.3, 0.3, 0.4,
];

test('small example: accuracy, per-class, macro and weighted F1, confusion', () => {
  const m = computeMetrics(labels, truth, probabilities);
  close(m.accuracy, 4 / 6, 'accuracy');
  assert.deepEqual(m.confusion, [
    [2, 1, 0],
    [1, 1, 0],
    [0, 0, 1],
  ]);
  const expected = [
    { label: 'a', precision: 2 / 3, recall: 2 / 3, f1: 2 / 3, support: 3 },
    { label: 'b', precision: 1 / 2, recall: 1 / 2, f1: 1 / 2, support: 2 },
    { label: 'c', precision: 1, recall: 1, f1: 1, support: 1 },
  ];
  m.perClass.forEach((actual, c) => {
    assert.equal(actual.label, expected[c].label);
    assert.equal(actual.support, expected[c].support);
    close(actual.precision, expected[c].precision, `${actual.label} precision`);
    close(actual.recall, expected[c].recall, `${actual.label} recall`);
    close(actual.f1, expected[c].f1, `${actual.label} f1`);
  });
  close(m.macroF1, 13 / 18, 'macro F1');
  close(m.weightedF1, 4 / 6, 'weighted F1');
  assert.equal(m.count, 6);
  assert.deepEqual(m.labels, labels);
});

test('small example: ECE and reliability bins', () => {
  const m = computeMetrics(labels, truth, probabilities);
  close(m.ece, 2.5 / 6, 'ece');
  assert.equal(m.reliability.length, 10);
  assert.deepEqual(
    m.reliability.map((b) => b.count),
    [0, 0, 0, 0, 1, 1, 1, 1, 1, 1],
  );
  close(m.reliability[9].upper, 1, 'last upper');
  close(m.reliability[7].meanConfidence, 0.7, 'bin 7 confidence');
  assert.equal(m.reliability[7].accuracy, 0);
  assert.equal(m.reliability[0].meanConfidence, 0);
});

test('ECE of a hand-built case with 5 bins', () => {
  // Confidences .9, .9 (one right, one wrong) fall in bin [.8, 1]: acc .5, conf .9 → gap .4, weight 2/4.
  // Confidences .6, .6 (both right) fall in bin [.6, .8): acc 1, conf .6 → gap .4, weight 2/4.
  // ECE = .5·.4 + .5·.4 = .4
  const m = computeMetrics(['x', 'y'], [0, 1, 0, 1], [0.9, 0.1, 0.9, 0.1, 0.6, 0.4, 0.4, 0.6], 5);
  close(m.ece, 0.4, 'ece');
  assert.deepEqual(
    m.reliability.map((b) => b.count),
    [0, 0, 0, 2, 2],
  );
  close(m.reliability[4].accuracy, 0.5, 'top bin accuracy');
});

test('perfect one-hot predictions score 1 and ECE 0', () => {
  const m = computeMetrics(['x', 'y', 'z'], [0, 1, 2, 1], new Float32Array([1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 0]));
  assert.equal(m.accuracy, 1);
  assert.equal(m.macroF1, 1);
  assert.equal(m.weightedF1, 1);
  for (const c of m.perClass) assert.deepEqual([c.precision, c.recall, c.f1], [1, 1, 1]);
  assert.equal(m.ece, 0);
});

test('a class never predicted gives zeros, not NaN', () => {
  // Truth has b, nothing predicts b: b's precision has no denominator.
  const m = computeMetrics(['a', 'b'], [0, 1, 1], [0.8, 0.2, 0.7, 0.3, 0.6, 0.4]);
  assertNoNaN(m);
  assert.deepEqual(m.perClass[1], { label: 'b', precision: 0, recall: 0, f1: 0, support: 2 });
  // a: P 1/3, R 1 → F1 = 2·(1/3)/(4/3) = 1/2; b: F1 0 → macro 1/4.
  close(m.macroF1, 0.25, 'macro F1');
});

test('macro F1 skips a label absent from truth and predictions', () => {
  // 'unused' has no support and is never predicted: averaging over a and b only (both perfect).
  const m = computeMetrics(['a', 'b', 'unused'], [0, 1], [0.9, 0.05, 0.05, 0.1, 0.8, 0.1]);
  assert.equal(m.macroF1, 1);
  assert.deepEqual(m.perClass[2], { label: 'unused', precision: 0, recall: 0, f1: 0, support: 0 });
  assertNoNaN(m);
});

test('macro F1 counts a label that is predicted but not in truth', () => {
  // a: P 1, R 1/2 → F1 2/3; b: predicted once, never true → F1 0; macro = (2/3 + 0) / 2 = 1/3
  const m = computeMetrics(['a', 'b'], [0, 0], [0.9, 0.1, 0.2, 0.8]);
  close(m.macroF1, 1 / 3, 'macro F1');
});

test('empty evaluation set gives zeros, not NaN', () => {
  const m = computeMetrics(['a', 'b'], [], []);
  assertNoNaN(m);
  assert.equal(m.count, 0);
  assert.equal(m.accuracy, 0);
  assert.equal(m.ece, 0);
});

test('rejects probabilities of the wrong size and truth outside the labels', () => {
  assert.throws(() => computeMetrics(['a', 'b'], [0], [1, 0, 0]), RangeError);
  assert.throws(() => computeMetrics(['a', 'b'], [2], [1, 0]), RangeError);
});
