import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeMultiLabelMetrics } from '../../src/core/evaluation/metrics';
import { classesOver, multiHot, rarestLabelKeys, subsetCorrect, tuneThresholds } from '../../src/core/multiLabel';

const close = (actual: number, expected: number, what = '') =>
  assert.ok(Math.abs(actual - expected) < 1e-9, `${what}: ${actual} ≠ ${expected}`);

// Three labels, four rows, thresholds a .5, b .5, c .3 (truth → probabilities → given):
//   r0 {a,b}  [.9 .4 .1 ]  → {a}        r1 {b}   [.6 .7 .35] → {a,b,c}
//   r2 {}     [.1 .2 .2 ]  → {}         r3 {a,c} [.8 .1 .3 ] → {a,c}
// a: tp 2 fp 1 fn 0 → P 2/3 R 1 F1 .8;  b: tp 1 fp 0 fn 1 → P 1 R .5 F1 2/3;  c: tp 1 fp 1 fn 0 → P .5 R 1 F1 2/3
// macro (.8 + 2/3 + 2/3)/3 = 32/45; weighted (.8·2 + 2/3·2 + 2/3·1)/5 = .72; micro 2·4/(2·4 + 1 + 2) = 8/11
// samples: r0 2·1/3, r1 2·1/4, r2 (neither) 1, r3 1 → (2/3 + 1/2 + 2)/4 = 19/24; subset 2/4; Hamming 3/12
// co-occurrence confusion[true][given]: a in r0, r3 → [2,0,1]; b in r0, r1 → [2,1,1]; c in r3 → [1,0,1]
const labels = ['a', 'b', 'c'];
const truth = [1, 1, 0, 0, 1, 0, 0, 0, 0, 1, 0, 1];
// prettier-ignore
const probabilities = [
  0.9, 0.4, 0.1,
  0.6, 0.7, 0.35,
  0.1, 0.2, 0.2,
  0.8, 0.1, 0.3,
];
const thresholds = [0.5, 0.5, 0.3];

test('multi-label metrics at per-class thresholds match a hand computation', () => {
  const m = computeMultiLabelMetrics(labels, truth, probabilities, thresholds);
  const scores = m.multiLabel!;
  close(m.macroF1, 32 / 45, 'macro-F1');
  close(m.weightedF1, 0.72, 'weighted-F1');
  close(scores.microF1, 8 / 11, 'micro-F1');
  close(scores.samplesF1, 19 / 24, 'samples-F1');
  close(scores.subsetAccuracy, 0.5, 'subset accuracy');
  close(m.accuracy, 0.5, 'accuracy is subset accuracy');
  close(scores.hammingLoss, 0.25, 'Hamming loss');
  assert.deepEqual(scores.missed, [0, 1, 0]);
  assert.deepEqual(scores.falseAlarms, [1, 0, 1]);
  assert.deepEqual(scores.thresholds, thresholds);
  assert.deepEqual(m.confusion, [
    [2, 0, 1],
    [2, 1, 1],
    [1, 0, 1],
  ]);
  const expected = [
    [2 / 3, 1, 0.8, 2],
    [1, 0.5, 2 / 3, 2],
    [0.5, 1, 2 / 3, 1],
  ];
  m.perClass.forEach((c, i) => {
    assert.equal(c.label, labels[i]);
    close(c.precision, expected[i][0], `${c.label} precision`);
    close(c.recall, expected[i][1], `${c.label} recall`);
    close(c.f1, expected[i][2], `${c.label} F1`);
    assert.equal(c.support, expected[i][3]);
  });
  assert.equal(m.count, 4);
  assert.equal(subsetCorrect(probabilities, truth, thresholds), 2);
  // Calibration over the 12 (row, class) pairs: ECE is the binned gap between probability and share of positives.
  assert.equal(
    m.reliability.reduce((n, b) => n + b.count, 0),
    12,
  );
  assert.ok(m.ece > 0 && m.ece < 1);
});

test('a threshold over every probability of a row gives it no label, and samples-F1 counts a right empty row as 1', () => {
  const m = computeMultiLabelMetrics(['x', 'y'], [0, 0, 1, 0], [0.2, 0.3, 0.9, 0.6], [0.5, 0.5]);
  close(m.multiLabel!.samplesF1, (1 + 2 / 3) / 2);
  close(m.multiLabel!.subsetAccuracy, 0.5);
  assert.deepEqual(m.multiLabel!.falseAlarms, [0, 1]);
});

test('thresholds are tuned per class for the best validation F1, with a default and a floor', () => {
  // Class 0: positives at .9, .8, .3. A threshold in (.2, .3] gives 4 predicted with 3 right (F1 6/7), the best;
  //   the tie among 0.21 … 0.30 goes to the one nearest 0.5.
  // Class 1: no validation positive: stays at 0.5, and is never given on validation (all under .5): flagged.
  // Class 2: its one positive scores 0.005, under every candidate: the threshold drops to it so it is still given.
  // prettier-ignore
  const probs = [
    0.9, 0.1, 0.005,
    0.8, 0.2, 0.001,
    0.35, 0.3, 0.002,
    0.3, 0.1, 0.001,
    0.2, 0.4, 0.001,
    0.1, 0.1, 0.003,
  ];
  const targets = [1, 0, 1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0];
  const tuned = tuneThresholds(probs, targets, 3);
  assert.deepEqual(tuned.thresholds, [0.3, 0.5, 0.005]);
  assert.deepEqual(tuned.neverPredicted, [1]);
  assert.deepEqual(classesOver(probs, 0, tuned.thresholds), [0, 2]);
  assert.deepEqual(classesOver(probs, 2, tuned.thresholds), [0]);
});

test('multi-hot targets and the split key: each row stratified on its rarest label, rows without one apart', () => {
  const rows = [
    { text: 'x', label: 'a, b', labels: ['a', 'b'], line: 2 },
    { text: 'y', label: 'a', labels: ['a'], line: 3 },
    { text: 'z', label: '', labels: [], line: 4 },
    { text: 'w', label: 'a, c', labels: ['a', 'c'], line: 5 },
    { text: 'v', label: 'b, c', labels: ['c', 'b'], line: 6 },
  ];
  const targets = multiHot(rows, ['a', 'b', 'c']);
  assert.deepEqual(targets, [1, 1, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1, 0, 1, 1]);
  // Counts a 3, b 2, c 2: b beats a, c beats a, b and c tie → the lower index.
  assert.deepEqual(rarestLabelKeys(targets, 3), [1, 0, 3, 2, 1]);
});
