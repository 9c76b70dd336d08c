import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PredictionCache } from '../../src/extension/model/predictionCache';

const p = (label: string) => ({ label, confidence: 1, probabilities: [1] });

test('PredictionCache evicts the least recently used line once full', () => {
  const cache = new PredictionCache(2);
  cache.set('a', p('A'));
  cache.set('b', p('B'));
  assert.equal(cache.get('a')?.label, 'A'); // "a" is now the most recent
  cache.set('c', p('C'));
  assert.equal(cache.size, 2);
  assert.equal(cache.peek('b'), undefined, 'b was the least recently used');
  assert.equal(cache.peek('a')?.label, 'A');
  assert.equal(cache.peek('c')?.label, 'C');
});

test('PredictionCache.peek does not refresh an entry; set replaces one; clear empties', () => {
  const cache = new PredictionCache(2);
  cache.set('a', p('A'));
  cache.set('b', p('B'));
  cache.peek('a');
  cache.set('c', p('C'));
  assert.equal(cache.peek('a'), undefined);
  cache.set('c', p('C2'));
  assert.equal(cache.size, 2);
  assert.equal(cache.peek('c')?.label, 'C2');
  cache.clear();
  assert.equal(cache.size, 0);
});
