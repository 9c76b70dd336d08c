// Per-class scores and calibration (reliability diagram and its table, ECE). The per-class table fits the
// default sidebar: its figure columns take the width of their figures, its headers are abbreviated while the
// section is narrow (the full word in the tooltip and for screen readers), and long class names wrap.
import * as l10n from '@vscode/l10n';
import type { Metrics } from '../../protocol/types';
import { lineChart } from '../charts';
import { classLabel, type ClassColors } from '../classColors';
import { h } from '../dom';
import { count, fixed, pct, sentences } from '../format';

interface Column {
  name: string;
  /** Shown instead of the name where the section is narrow (metrics.css), e.g. "Prec." for "Precision". */
  short?: string;
  /** What the column means, as a tooltip. */
  help?: string;
  num?: boolean;
}

/** A column header; its accessible name is always the full name. */
export function header({ name, short, help, num = true }: Column): HTMLTableCellElement {
  return h(
    'th',
    { class: num ? 'num' : undefined, attrs: { scope: 'col', 'aria-label': name, title: help ? `${name}: ${help}` : name } },
    short ? h('span', { class: 'wide' }, name) : name,
    short ? h('span', { class: 'narrow', attrs: { 'aria-hidden': 'true' } }, short) : null,
  );
}

/** A class name as a row header, after a swatch of its inline label's color. */
export function classHeader(label: string, colors: ClassColors): HTMLTableCellElement {
  return h('th', { class: 'label', attrs: { scope: 'row', title: label } }, classLabel(label, colors));
}

export function perClassTable(metrics: Metrics, setName: string, colors: ClassColors = () => undefined): HTMLElement {
  const classes = metrics.perClass;
  // A multi-label model's scores are at each class's own threshold (tuned on validation): shown beside them.
  const thresholds = metrics.multiLabel?.thresholds;
  const thresholdCell = (i: number) => (thresholds ? [h('td', { class: 'num threshold' }, fixed(thresholds[i], 2))] : []);
  const total = classes.reduce((a, c) => a + c.support, 0) || 1;
  const mean = (key: 'precision' | 'recall') => classes.reduce((a, c) => a + c[key], 0) / Math.max(1, classes.length);
  const weighted = (key: 'precision' | 'recall') => classes.reduce((a, c) => a + c[key] * c.support, 0) / total;
  const footRow = (name: string, title: string, p: number | undefined, r: number | undefined, f1: number) =>
    h(
      'tr',
      null,
      h('th', { attrs: { scope: 'row', title } }, name),
      h('td', { class: 'num' }, fixed(p)),
      h('td', { class: 'num' }, fixed(r)),
      h('td', { class: 'num' }, h('strong', null, fixed(f1))),
      h('td', { class: 'num' }, count(total)),
      ...(thresholds ? [h('td', null)] : []),
    );
  const columns: Column[] = [
    { name: l10n.t('Class'), num: false },
    { name: l10n.t('Precision'), short: l10n.t('Prec.'), help: l10n.t('of the examples predicted as this class, the share that are') },
    { name: l10n.t('Recall'), help: l10n.t('of the examples of this class, the share predicted as it') },
    { name: l10n.t('F1'), help: l10n.t('the harmonic mean of precision and recall') },
    { name: l10n.t('Support'), short: l10n.t('n'), help: l10n.t('examples of this class in the {0}', setName) },
    ...(thresholds
      ? [{ name: l10n.t('Threshold'), short: l10n.t('Thr.'), help: l10n.t('the probability from which the model gives this class') }]
      : []),
  ];
  return h(
    'div',
    { class: 'scroll' },
    h(
      'table',
      { class: 'data per-class' },
      h('caption', null, l10n.t('Per-class scores, {0}', setName)),
      h('thead', null, h('tr', null, ...columns.map(header))),
      h(
        'tbody',
        null,
        ...classes.map((c, i) =>
          h(
            'tr',
            null,
            classHeader(c.label, colors),
            h('td', { class: 'num' }, fixed(c.precision)),
            h('td', { class: 'num' }, fixed(c.recall)),
            h('td', { class: 'num' }, fixed(c.f1)),
            h('td', { class: 'num' }, count(c.support)),
            ...thresholdCell(i),
          ),
        ),
      ),
      h(
        'tfoot',
        null,
        footRow(
          l10n.t('Macro avg'),
          l10n.t('Macro average: every class counts the same'),
          mean('precision'),
          mean('recall'),
          metrics.macroF1,
        ),
        footRow(
          l10n.t('Weighted avg'),
          l10n.t('Weighted average: each class counts by its number of examples'),
          weighted('precision'),
          weighted('recall'),
          metrics.weightedF1,
        ),
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
  const summary = sentences(
    l10n.t('Expected calibration error {0}: confidence and accuracy differ by {1} on average.', fixed(metrics.ece), pct(metrics.ece)),
    crowded
      ? l10n.t(
          'Most predictions ({0}) have about {1} confidence, and {2} of those are right.',
          count(crowded.count),
          pct(crowded.meanConfidence, 0),
          pct(crowded.accuracy, 0),
        )
      : '',
    over + under > 0 && l10n.t('{0} bin(s) over-confident, {1} under-confident by more than 5 points.', over, under),
  );
  const chart = lineChart({
    label: l10n.t('Reliability diagram, {0}: accuracy against confidence', setName),
    summary,
    x,
    series: [
      { label: l10n.t('perfect calibration'), color: '--vscode-descriptionForeground', values: x, dash: [4, 4], width: 1 },
      { label: l10n.t('accuracy'), color: '--vscode-charts-green', values: [null, ...bins.map((b) => b.accuracy), null], points: true },
    ],
    xLabel: l10n.t('confidence'),
    xRange: [0, 1],
    yRange: [0, 1],
    xFormat: (v) => pct(v, 0),
    yFormat: (v) => pct(v, 0),
    legendFormat: (v) => pct(v),
    // At rest the legend reads the bin that holds most predictions (the one the summary names).
    legendIndex: crowded ? bins.indexOf(crowded) + 1 : undefined,
    height: 170,
  });
  const col = (text: string, num = true) => h('th', { class: num ? 'num' : undefined, attrs: { scope: 'col' } }, text);
  const table = h(
    'table',
    { class: 'data compact reliability' },
    h('caption', null, l10n.t('Reliability by confidence bin, {0}', setName)),
    h(
      'thead',
      null,
      h('tr', null, col(l10n.t('Confidence'), false), col(l10n.t('Predictions')), col(l10n.t('Mean confidence')), col(l10n.t('Accuracy'))),
    ),
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
  return [chart, h('details', null, h('summary', null, l10n.t('Table')), table)];
}
