import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NO_LABEL, reviewPrediction } from '../../src/extension/dataset/reviewPrediction';

test('review list: a single-label line shows its class and probability', () => {
  assert.equal(reviewPrediction({ label: 'spam', confidence: 0.734 }), 'spam 73%');
});

test('review list: a multi-label line shows every label over its threshold, not its top class alone', () => {
  assert.equal(reviewPrediction({ label: 'joy', confidence: 0.9, labels: ['joy', 'love'] }), 'joy, love');
  // The top class is under its threshold here: naming it would say the line was given a label it was not.
  assert.equal(reviewPrediction({ label: 'anger', confidence: 0.3, labels: [] }), NO_LABEL);
});
