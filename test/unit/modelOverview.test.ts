// The sidebar's model card names its figures for what they are (English: @vscode/l10n without a bundle).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { overviewFigures } from '../../src/webview/render/status';
import type { Metrics } from '../../src/core/types';

const scores = (accuracy: number, macroF1: number) => ({ accuracy, macroF1 }) as Metrics;

test('model card: a single-label model shows accuracy', () => {
  const figures = overviewFigures({ metrics: { validation: scores(0.9, 0.8), test: scores(0.85, 0.75) } });
  assert.deepEqual(
    figures.map(([name]) => name),
    ['Accuracy', 'Macro-F1', 'Test accuracy', 'Test macro-F1'],
  );
});

test('model card: a multi-label model calls its accuracy subset accuracy (the exact label set)', () => {
  const figures = overviewFigures({ multiLabel: true, metrics: { validation: scores(0.31, 0.41), test: scores(0.3, 0.4) } });
  assert.deepEqual(
    figures.map(([name]) => name),
    ['Subset accuracy', 'Macro-F1', 'Test subset accuracy', 'Test macro-F1'],
  );
  assert.equal(figures[0][1], '31.0%');
});
