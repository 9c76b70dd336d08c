import assert from 'node:assert/strict';
import { test } from 'node:test';
import { entropy, margin, sortByUncertainty } from '../../src/extension/dataset/uncertainty';

const rows = [
  { id: 'certain', probabilities: [0.98, 0.01, 0.01] },
  { id: 'two-way tie', probabilities: [0.5, 0.48, 0.02] },
  { id: 'uniform', probabilities: [0.34, 0.33, 0.33] },
  { id: 'spread', probabilities: [0.6, 0.2, 0.2] },
  { id: 'close pair', probabilities: [0.45, 0.4, 0.15] },
];

test('margin: the smallest gap between the top two classes first', () => {
  assert.equal(margin([0.2, 0.7, 0.1]).toFixed(6), (0.5).toFixed(6));
  assert.equal(margin([1]), 1, 'one class: no doubt');
  assert.deepEqual(
    sortByUncertainty(rows, 'margin').map((r) => r.id),
    ['uniform', 'two-way tie', 'close pair', 'spread', 'certain'],
  );
});

test('entropy: the largest entropy first', () => {
  assert.ok(Math.abs(entropy([0.5, 0.5]) - Math.log(2)) < 1e-12);
  assert.equal(entropy([1, 0, 0]), 0);
  assert.deepEqual(
    sortByUncertainty(rows, 'entropy').map((r) => r.id),
    ['uniform', 'close pair', 'spread', 'two-way tie', 'certain'],
  );
});

test('the two measures disagree where they should, and ties keep the input order', () => {
  // 'two-way tie' is nearly a coin toss between two classes (small margin) but low entropy overall.
  const m = sortByUncertainty(rows, 'margin').map((r) => r.id);
  const e = sortByUncertainty(rows, 'entropy').map((r) => r.id);
  assert.ok(m.indexOf('two-way tie') < m.indexOf('spread') && e.indexOf('two-way tie') > e.indexOf('spread'));
  const tied = [
    { id: 1, probabilities: [0.5, 0.5] },
    { id: 2, probabilities: [0.5, 0.5] },
    { id: 3, probabilities: [0.5, 0.5] },
  ];
  assert.deepEqual(
    sortByUncertainty(tied, 'margin').map((r) => r.id),
    [1, 2, 3],
  );
});
