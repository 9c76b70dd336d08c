import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng, randomNormal, shuffleInPlace } from '../../src/core/random';

const take = (rng: () => number, n: number) => Array.from({ length: n }, rng);

test('same seed gives the same sequence', () => {
  assert.deepEqual(take(createRng(42), 20), take(createRng(42), 20));
});

test('different seeds give different sequences', () => {
  assert.notDeepEqual(take(createRng(1), 20), take(createRng(2), 20));
});

test('values are uniform in [0, 1)', () => {
  const values = take(createRng(7), 10_000);
  assert.ok(values.every((x) => x >= 0 && x < 1));
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  assert.ok(Math.abs(mean - 0.5) < 0.02, `mean ${mean}`);
});

test('shuffleInPlace is a deterministic permutation', () => {
  const a = shuffleInPlace([...Array(50).keys()], createRng(3));
  const b = shuffleInPlace([...Array(50).keys()], createRng(3));
  assert.deepEqual(a, b);
  assert.deepEqual(
    [...a].sort((x, y) => x - y),
    [...Array(50).keys()],
  );
  assert.notDeepEqual(a, [...Array(50).keys()]);
});

test('randomNormal has mean ~0 and variance ~1', () => {
  const rng = createRng(11);
  const values = Array.from({ length: 20_000 }, () => randomNormal(rng));
  assert.ok(values.every(Number.isFinite));
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length;
  assert.ok(Math.abs(mean) < 0.05, `mean ${mean}`);
  assert.ok(Math.abs(variance - 1) < 0.05, `variance ${variance}`);
});
