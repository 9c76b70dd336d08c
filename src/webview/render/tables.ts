// Per-class scores and calibration (reliability diagram and its table, ECE).
import type { Metrics } from '../../protocol/types';
import { lineChart } from '../charts';
import { h } from '../dom';
import { count, fixed, pct } from '../format';

const col = (text: string, num = true) => h('th', { class: num ? 'num' : undefined, attrs: { scope: 'col' } }, text);

export function perClassTable(metrics: Metrics, setName: string): HTMLElement {
  const classes = metrics.perClass;
  const total = classes.reduce((a, c) => a + c.support, 0) || 1;
  const mean = (key: 'precision' | 'recall') => classes.reduce((a, c) => a + c[key], 0) / Math.max(1, classes.length);
  const weighted = (key: 'precision' | 'recall') => classes.reduce((a, c) => a + c[key] * c.support, 0) / total;
  const footRow = (name: string, p: number | undefined, r: number | undefined, f1: number) =>
    h(
      'tr',
      null,
      h('th', { attrs: { scope: 'row', title: name.replace('avg', 'average') } }, name),
      h('td', { class: 'num' }, fixed(p)),
      h('td', { class: 'num' }, fixed(r)),
      h('td', { class: 'num' }, h('strong', null, fixed(f1))),
      h('td', { class: 'num' }, count(total)),
    );
  return h(
    'div',
    { class: 'scroll' },
    h(
      'table',
      { class: 'data per-class' },
      h('caption', null, `Per-class scores, ${setName}`),
      h('thead', null, h('tr', null, col('Class', false), col('Precision'), col('Recall'), col('F1'), col('Support'))),
      h(
        'tbody',
        null,
        ...classes.map((c) =>
          h(
            'tr',
            null,
            h('th', { class: 'label', attrs: { scope: 'row', title: c.label } }, c.label),
            h('td', { class: 'num' }, fixed(c.precision)),
            h('td', { class: 'num' }, fixed(c.recall)),
            h('td', { class: 'num' }, fixed(c.f1)),
            h('td', { class: 'num' }, count(c.support)),
          ),
        ),
      ),
      h(
        'tfoot',
        null,
        footRow('Macro avg', mean('precision'), mean('recall'), metrics.macroF1),
        footRow('Weighted avg', weighted('precision'), weighted('recall'), metrics.weightedF1),
      ),
    ),
  );
}

export function calibration(metrics: Metrics, setName: string): HTMLElement[] {
  const bins = metrics.reliability.filter((b) => b.count > 0).sort((a, b) => a.meanConfidence - b.meanConfidence);
  const x = [0, ...bins.map((b) => b.meanConfidence), 1];
  const crowded = bins.reduce((a, b) => (b.count > (a?.count ?? -1) ? b : a), bins[0]);
  const over = bins.filter((b) => b.meanConfidence - b.accuracy > 0.05).length;
  const under = bins.filter((b) => b.accuracy - b.meanConfidence > 0.05).length;
  const summary =
    `Expected calibration error ${fixed(metrics.ece)}: confidence and accuracy differ by ${pct(metrics.ece)} on average.` +
    (crowded
      ? ` Most predictions (${count(crowded.count)}) have about ${pct(crowded.meanConfidence, 0)} confidence, and ${pct(crowded.accuracy, 0)} of those are right.`
      : '') +
    (over || under ? ` ${over} bin(s) over-confident, ${under} under-confident by more than 5 points.` : '');
  const chart = lineChart({
    label: `Reliability diagram, ${setName}: accuracy against confidence`,
    summary,
    x,
    series: [
      { label: 'perfect calibration', color: '--vscode-descriptionForeground', values: x, dash: [4, 4], width: 1 },
      { label: 'accuracy', color: '--vscode-charts-green', values: [null, ...bins.map((b) => b.accuracy), null], points: true },
    ],
    xLabel: 'confidence',
    xRange: [0, 1],
    yRange: [0, 1],
    xFormat: (v) => pct(v, 0),
    yFormat: (v) => pct(v, 0),
    height: 170,
  });
  const table = h(
    'table',
    { class: 'data compact reliability' },
    h('caption', null, `Reliability by confidence bin, ${setName}`),
    h('thead', null, h('tr', null, col('Confidence', false), col('Predictions'), col('Mean confidence'), col('Accuracy'))),
    h(
      'tbody',
      null,
      ...metrics.reliability.map((b, i, all) =>
        h(
          'tr',
          null,
          h('th', { attrs: { scope: 'row' } }, `${pct(i === 0 ? 0 : all[i - 1].upper, 0)}–${pct(b.upper, 0)}`),
          h('td', { class: 'num' }, count(b.count)),
          h('td', { class: 'num' }, b.count ? pct(b.meanConfidence) : '–'),
          h('td', { class: 'num' }, b.count ? pct(b.accuracy) : '–'),
        ),
      ),
    ),
  );
  return [chart, h('details', null, h('summary', null, 'Table'), table)];
}
