// Multi-label lines in the editor, the parts that need no VS Code: which chips fit the fixed start column
// (labelLayout's fitChips), the classes a line carries for the overview ruler and "Go to Line of Class"
// (DocumentClasses), and which stored validation rows a co-occurrence cell lists (confusionDrill).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { displayWidth, fitChips, NO_LABEL_MARK } from '../../src/extension/labels/labelLayout';
import { DocumentClasses, markRuns, NO_CLASS, UNKNOWN } from '../../src/extension/model/documentClasses';
import { confusionCellExamples } from '../../src/extension/metrics/confusionDrill';
import type { Metrics, ModelSummary } from '../../src/protocol';

const width = (chips: ReturnType<typeof fitChips>) => displayWidth(chips.map((c) => c.text).join(' '));

describe('multi-label chips in the start column', () => {
  it('shows a lone label as one chip, cut with "…" when longer than the column', () => {
    assert.deepEqual(fitChips(['billing'], 12), [{ label: 'billing', text: 'billing' }]);
    assert.deepEqual(fitChips(['authentication'], 8), [{ label: 'authentication', text: 'authent…' }]);
  });

  it('shows two labels side by side when both fit, else cuts the longer, else falls back to "+1"', () => {
    assert.deepEqual(fitChips(['bug', 'ui'], 12), [
      { label: 'bug', text: 'bug' },
      { label: 'ui', text: 'ui' },
    ]);
    const cut = fitChips(['billing', 'shipping'], 12);
    assert.deepEqual(
      cut.map((c) => c.label),
      ['billing', 'shipping'],
    );
    assert.equal(cut[0].text, 'billing');
    assert.equal(cut[1].text, 'shi…');
    assert.equal(width(cut), 12);
    // Too narrow for two readable chips: the first, and how many more.
    assert.deepEqual(fitChips(['billing', 'shipping'], 6), [{ label: 'billing', text: 'bi…' }, { text: '+1' }]);
  });

  it('shows the first label and "+N" for three or more, in the column', () => {
    const chips = fitChips(['billing', 'refund', 'urgent'], 10);
    assert.deepEqual(chips, [{ label: 'billing', text: 'billing' }, { text: '+2' }]);
    assert.ok(width(chips) <= 10);
    const cut = fitChips(['authentication', 'a', 'b', 'c'], 9);
    assert.equal(cut[1].text, '+3');
    assert.ok(width(cut) <= 9, JSON.stringify(cut));
  });

  it('never exceeds the column, with CJK class names too', () => {
    for (const labels of [
      ['正面', '负面'],
      ['売り上げ分析', 'billing'],
      ['x', 'yy', 'zzz'],
      ['a', 'b'],
    ]) {
      for (let columns = 4; columns <= 20; columns++) {
        const chips = fitChips(labels, columns);
        assert.ok(width(chips) <= columns, `${JSON.stringify(labels)} in ${columns}: ${JSON.stringify(chips)}`);
        assert.equal(chips[0].label, labels[0], 'the most probable class is always shown');
      }
    }
  });

  it('marks a line with no class over its threshold with a quiet "—" of no class', () => {
    assert.deepEqual(fitChips([], 10), [{ text: NO_LABEL_MARK }]);
  });
});

describe('multi-label lines for the ruler and class navigation', () => {
  it('a line counts for every class it carries, and edits keep the extra classes with their lines', () => {
    const classes = new DocumentClasses(6);
    classes.set(0, 0, 1, [2]);
    classes.set(2, 1, 1);
    classes.set(3, NO_CLASS, 1);
    classes.set(4, 2, 1, [0, 1]);
    assert.ok(classes.has(0, 0) && classes.has(0, 2) && !classes.has(0, 1));
    assert.deepEqual(classes.classesOf(3), [], 'no class over threshold: none');
    assert.deepEqual(classes.classesOf(1), [], 'unknown: none');
    const runs = markRuns(classes, 3, () => true, 100);
    assert.deepEqual(runs[0], [
      { start: 0, end: 0 },
      { start: 4, end: 4 },
    ]);
    assert.deepEqual(runs[1], [
      { start: 2, end: 2 },
      { start: 4, end: 4 },
    ]);
    assert.deepEqual(runs[2], [
      { start: 0, end: 0 },
      { start: 4, end: 4 },
    ]);
    // Two lines inserted after line 1: line 4 moves to 6 with all its classes, line 0 stays.
    classes.splice(1, 0, 2);
    assert.deepEqual(classes.classesOf(6), [2, 0, 1]);
    assert.deepEqual(classes.classesOf(0), [0, 2]);
    assert.equal(classes.classOf(2), UNKNOWN);
    // Setting a line again replaces its classes.
    classes.set(6, 1, 1);
    assert.deepEqual(classes.classesOf(6), [1]);
  });
});

describe('co-occurrence drill-down', () => {
  const LABELS = ['billing', 'refund', 'urgent'];
  const rows: ModelSummary['validationExamples'] = [
    { text: 'r1', label: 'billing, refund', labels: ['billing', 'refund'], predicted: 'billing', predictedLabels: ['billing'], line: 9 },
    { text: 'r2', label: 'billing', labels: ['billing'], predicted: 'refund', predictedLabels: ['refund', 'billing'], line: 3 },
    { text: 'r3', label: '', labels: [], predicted: 'urgent', predictedLabels: ['urgent'], line: 5 },
  ];
  const manifest = {
    runId: 'run-ml',
    metrics: { validation: { labels: LABELS, confusion: [], count: rows.length } as unknown as Metrics },
    validationExamples: rows,
    dataset: { path: '/data/tickets.csv', format: 'csv' },
  } as unknown as ModelSummary;

  it('lists the rows that carry the true label and were given the other, with every label of each', () => {
    const cell = confusionCellExamples(manifest, 0, 1)!;
    assert.deepEqual(
      cell.examples.map((e) => [e.text, e.label, e.predicted]),
      [['r2', 'billing', 'refund, billing']],
    );
    const diagonal = confusionCellExamples(manifest, 0, 0)!;
    assert.deepEqual(
      diagonal.examples.map((e) => e.text),
      ['r2', 'r1'],
      'in dataset order',
    );
    assert.equal(confusionCellExamples(manifest, 2, 2)!.total, 0, 'a row with no true label is in no row of the table');
  });
});

describe('review: how unsure a multi-label model is', () => {
  it('a class near its threshold is the coin toss, whatever the other classes say', async () => {
    const { multiLabelMargin, multiLabelEntropy, sortByUncertainty } = await import('../../src/extension/dataset/uncertainty');
    const thresholds = [0.3, 0.6];
    assert.ok(Math.abs(multiLabelMargin([0.95, 0.62], thresholds) - 0.04) < 1e-9, 'class 2 is 0.02 over its threshold');
    assert.ok(Math.abs(multiLabelMargin([0.05, 0.99], thresholds) - 0.5) < 1e-9);
    assert.equal(multiLabelEntropy([0, 1]), 0);
    assert.ok(Math.abs(multiLabelEntropy([0.5, 0.5]) - 2 * Math.log(2)) < 1e-9);
    const lines = [
      { name: 'sure', probabilities: [0.99, 0.01] },
      { name: 'near a threshold', probabilities: [0.99, 0.58] },
      { name: 'both high', probabilities: [0.9, 0.9] },
    ];
    assert.deepEqual(
      sortByUncertainty(lines, 'margin', thresholds).map((l) => l.name),
      ['near a threshold', 'both high', 'sure'],
    );
    // Single-label margins would call "both high" a coin toss (0.9 − 0.9 = 0): with thresholds it is not.
    assert.equal(sortByUncertainty(lines, 'margin')[0].name, 'both high');
  });
});
