import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { confusionCellExamples, exampleLocation, MAX_CELL_EXAMPLES } from '../../src/extension/metrics/confusionDrill';
import type { Metrics, ModelSummary } from '../../src/protocol';

const LABELS = ['billing', 'bug', 'shipping'];

/** Only what the drill-down reads: the validation labels and confusion matrix, the examples, the dataset. */
function manifest(examples: ModelSummary['validationExamples'], dataset: Partial<ModelSummary['dataset']> = {}): ModelSummary {
  const confusion = LABELS.map((t) => LABELS.map((p) => examples.filter((e) => e.label === t && e.predicted === p).length));
  const validation = { labels: LABELS, confusion, count: examples.length } as unknown as Metrics;
  return {
    runId: 'run-1',
    metrics: { validation },
    validationExamples: examples,
    dataset: { path: '/data/tickets.csv', format: 'csv', ...dataset },
  } as unknown as ModelSummary;
}

const examples: ModelSummary['validationExamples'] = [
  { text: 'b', label: 'billing', predicted: 'shipping', line: 30 },
  { text: 'a', label: 'billing', predicted: 'shipping', line: 4 },
  { text: 'c', label: 'billing', predicted: 'billing', line: 7 },
  { text: 'd, "quoted"\nnext', label: 'bug', predicted: 'shipping', line: 12 },
];

test('a confusion cell lists exactly the stored examples of its (true, predicted) pair, in dataset order', () => {
  const m = manifest(examples);
  const cell = confusionCellExamples(m, 0, 2)!;
  assert.deepEqual(
    cell.examples.map((e) => e.line),
    [4, 30],
  );
  assert.deepEqual(
    { runId: cell.runId, truth: cell.truth, predicted: cell.predicted, total: cell.total, shown: cell.shown },
    { runId: 'run-1', truth: 0, predicted: 2, total: 2, shown: 2 },
  );
  assert.deepEqual(confusionCellExamples(m, 1, 2)!.examples, [
    { text: 'd, "quoted"\nnext', label: 'bug', predicted: 'shipping', line: 12 },
  ]);
  assert.equal(confusionCellExamples(m, 2, 0)!.total, 0);
  // Every cell: the same count as the matrix.
  LABELS.forEach((_, t) =>
    LABELS.forEach((_, p) => assert.equal(confusionCellExamples(m, t, p)!.total, m.metrics.validation!.confusion[t][p])),
  );
});

test('a large cell is capped, and says how many it has', () => {
  const many = Array.from({ length: MAX_CELL_EXAMPLES + 50 }, (_, i) => ({
    text: `t${i}`,
    label: 'bug',
    predicted: 'billing',
    line: i + 2,
  }));
  const cell = confusionCellExamples(manifest(many), 1, 0)!;
  assert.equal(cell.shown, MAX_CELL_EXAMPLES);
  assert.equal(cell.examples.length, MAX_CELL_EXAMPLES);
  assert.equal(cell.total, MAX_CELL_EXAMPLES + 50);
});

test('a cell outside the matrix, or not given as integers, gets no answer', () => {
  const m = manifest(examples);
  for (const [t, p] of [
    [3, 0],
    [-1, 0],
    [0.5, 0],
    ['0', 0],
    [null, 0],
    [0, undefined],
  ] as unknown[][]) {
    assert.equal(confusionCellExamples(m, t, p), undefined, JSON.stringify([t, p]));
  }
  const noValidation = { ...m, metrics: {} } as ModelSummary;
  assert.equal(confusionCellExamples(noValidation, 0, 0), undefined);
});

test('only a stored validation example of the model’s own dataset can be opened', () => {
  const m = manifest(examples);
  assert.deepEqual(exampleLocation(m, 12, undefined), { path: '/data/tickets.csv', line: 12 });
  assert.equal(exampleLocation(m, 13, undefined), undefined, 'a line that holds no validation example');
  assert.equal(exampleLocation(m, 12, '/etc/passwd'), undefined, 'another file');
  assert.equal(exampleLocation(m, '12', undefined), undefined);
  assert.equal(exampleLocation(m, 12, null), undefined);
  // The CLI records a relative path as given; it is taken relative to the workspace.
  assert.deepEqual(exampleLocation(manifest(examples, { path: 'tickets.csv' }), 4, undefined, '/ws'), {
    path: join('/ws', 'tickets.csv'),
    line: 4,
  });
});

test('a folder dataset opens the example’s own file, and no other', () => {
  const file = '/data/tickets/bug/crash.txt';
  const m = manifest([{ text: 'crash', label: 'bug', predicted: 'billing', line: 1, file }], { path: '/data/tickets', format: 'folder' });
  assert.deepEqual(exampleLocation(m, 1, file), { path: file, line: 1 });
  assert.equal(exampleLocation(m, 1, undefined), undefined, 'the folder itself is not a file to open');
  assert.equal(exampleLocation(m, 1, '/data/tickets/bug/../../../etc/passwd'), undefined);
  assert.deepEqual(confusionCellExamples(m, 1, 0)!.examples, [{ text: 'crash', label: 'bug', predicted: 'billing', line: 1, file }]);
});
