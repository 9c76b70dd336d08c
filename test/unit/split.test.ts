import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stratifiedSplit } from '../../src/core/data/split';

/** `counts[c]` examples of class c, interleaved the way a real file might be. */
function makeLabels(counts: number[]): number[] {
  const labels: number[] = [];
  const left = [...counts];
  while (left.some((n) => n > 0)) {
    left.forEach((n, c) => {
      if (n > 0) {
        labels.push(c);
        left[c] = n - 1;
      }
    });
  }
  return labels;
}

const countOf = (indices: number[], labels: number[], c: number) => indices.filter((i) => labels[i] === c).length;

function assertPartition(labels: number[], split: { train: number[]; validation: number[] }) {
  const all = [...split.train, ...split.validation].sort((a, b) => a - b);
  assert.deepEqual(
    all,
    labels.map((_, i) => i),
    'every index exactly once',
  );
}

test('each class keeps its proportion', () => {
  const labels = makeLabels([100, 50, 10]);
  const split = stratifiedSplit(labels, 0.2, 1);
  assert.equal(countOf(split.validation, labels, 0), 20);
  assert.equal(countOf(split.validation, labels, 1), 10);
  assert.equal(countOf(split.validation, labels, 2), 2);
  assert.equal(split.train.length, 128);
});

test('same seed same split; another seed differs', () => {
  const labels = makeLabels([40, 30, 20]);
  assert.deepEqual(stratifiedSplit(labels, 0.25, 9), stratifiedSplit(labels, 0.25, 9));
  assert.notDeepEqual(stratifiedSplit(labels, 0.25, 9), stratifiedSplit(labels, 0.25, 10));
});

test('train and validation are disjoint and complete', () => {
  const labels = makeLabels([13, 7, 5, 2, 1]);
  assertPartition(labels, stratifiedSplit(labels, 0.3, 4));
});

test('train is shuffled, not grouped by class', () => {
  const labels = makeLabels([50, 50]).sort();
  const { train } = stratifiedSplit(labels, 0.2, 5);
  const firstHalf = train.slice(0, train.length / 2);
  assert.ok(
    firstHalf.some((i) => labels[i] === 1),
    'class 1 appears in the first half',
  );
});

test('a class with one example stays in train', () => {
  const labels = [0, 0, 0, 0, 1];
  const split = stratifiedSplit(labels, 0.5, 2);
  assert.ok(split.train.includes(4));
  assert.ok(!split.validation.includes(4));
});

test('a small class gets one in validation and keeps one in train', () => {
  const labels = makeLabels([20, 2, 3]);
  const split = stratifiedSplit(labels, 0.1, 3);
  for (const c of [1, 2]) {
    assert.equal(countOf(split.validation, labels, c), 1, `class ${c} validation`);
    assert.ok(countOf(split.train, labels, c) >= 1, `class ${c} train`);
  }
});

test('a fraction near 1 still leaves one example per class in train', () => {
  const labels = makeLabels([5, 3]);
  const split = stratifiedSplit(labels, 0.99, 3);
  assert.equal(countOf(split.train, labels, 0), 1);
  assert.equal(countOf(split.train, labels, 1), 1);
});

test('fraction 0 puts everything in train', () => {
  const labels = makeLabels([5, 3, 1]);
  const split = stratifiedSplit(labels, 0, 1);
  assert.deepEqual(split.validation, []);
  assertPartition(labels, split);
});

test('77 classes each appear on both sides', () => {
  const labels = makeLabels(Array.from({ length: 77 }, (_, c) => 2 + (c % 30)));
  const split = stratifiedSplit(labels, 0.2, 77);
  assertPartition(labels, split);
  for (let c = 0; c < 77; c++) {
    const n = 2 + (c % 30);
    const expected = Math.min(n - 1, Math.max(1, Math.round(n * 0.2)));
    assert.equal(countOf(split.validation, labels, c), expected, `class ${c}`);
  }
});

test('empty input gives empty split', () => {
  assert.deepEqual(stratifiedSplit([], 0.2, 1), { train: [], validation: [] });
});
