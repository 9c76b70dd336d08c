// The confusion matrix as a real table: rows are true labels, columns predictions. Each cell's background
// mixes a theme color with transparency in proportion to its share of the row (correct: blue, errors: red).
// Where the model kept the examples (validation), a non-empty cell is a button that lists them. Column
// headers are written vertically, so a dozen classes with long names still fit a narrow sidebar; each class
// name carries a swatch of its inline label's color.
//
// A multi-label model has no single prediction per row to confuse with its truth, so the same table becomes a
// label co-occurrence view (Metrics.confusion is defined that way for it): row i, column j counts the rows
// with true label i that were given label j. The diagonal is then the true positives; an off-diagonal cell is
// not an error (the row may carry both labels), so it is tinted neutrally, by its share of the true label's
// rows. What a user needs for the errors is per class, so two more columns give each class's missed rows
// (false negatives) and false alarms (false positives). The drill-down lists the rows of a cell as before.
import * as l10n from '@vscode/l10n';
import type { Metrics } from '../../protocol/types';
import { classLabel, type ClassColors } from '../classColors';
import { css, h } from '../dom';
import { count, pct } from '../format';

/** The strongest tint; above it the cell's text would lose contrast in some themes. */
const MAX_MIX = 65;

/** How the cells drill down; absent where there are no stored examples (test set, evaluations). */
export interface CellDrill {
  open?: { truth: number; predicted: number };
  /** Id of the element that lists the open cell's examples (aria-controls). */
  panelId: string;
  onCell(truth: number, predicted: number): void;
}

export function confusionTable(metrics: Metrics, setName: string, drill?: CellDrill, colors: ClassColors = () => undefined): HTMLElement {
  const { labels, confusion } = metrics;
  const multi = metrics.multiLabel;
  const name = (label: string) => classLabel(label, colors);
  const headerCell = (label: string) =>
    h(
      'th',
      { class: 'label predicted', attrs: { scope: 'col', title: multi ? l10n.t('given {0}', label) : l10n.t('predicted {0}', label) } },
      name(label),
    );
  const rows = labels.map((trueLabel, i) => {
    const row = confusion[i] ?? [];
    // Multi-label: a row's cells add up to more than its rows (each row counts once per label it was given).
    const total = multi ? (metrics.perClass[i]?.support ?? 0) : row.reduce((a, b) => a + b, 0);
    return h(
      'tr',
      null,
      h('th', { class: 'label', attrs: { scope: 'row', title: l10n.t('true {0}', trueLabel) } }, name(trueLabel)),
      ...labels.map((predicted, j) => {
        const n = row[j] ?? 0;
        const share = total ? n / total : 0;
        const title = multi
          ? l10n.t('true {0}, given {1}: {2} ({3} of {0})', trueLabel, predicted, count(n), pct(share))
          : l10n.t('true {0}, predicted {1}: {2} ({3} of {0})', trueLabel, predicted, count(n), pct(share));
        const open = drill?.open?.truth === i && drill.open.predicted === j;
        const content =
          drill && n > 0
            ? h(
                'button',
                {
                  class: 'cell-button',
                  attrs: {
                    type: 'button',
                    'aria-label': multi
                      ? l10n.t('{0} rows of {1} given {2}', count(n), trueLabel, predicted)
                      : n === 1
                        ? l10n.t('{0} example of {1} predicted as {2}', count(n), trueLabel, predicted)
                        : l10n.t('{0} examples of {1} predicted as {2}', count(n), trueLabel, predicted),
                    'aria-expanded': open ? 'true' : 'false',
                    'aria-controls': open ? drill.panelId : undefined,
                    'data-focus': `cell:${i}:${j}`,
                    'data-truth': i,
                    'data-predicted': j,
                    title: l10n.t('{0}. Click to list them.', title),
                  },
                  on: { click: () => drill.onCell(i, j) },
                },
                count(n),
              )
            : count(n);
        const cell = h('td', { class: `num cell ${i === j ? 'correct' : 'error'}${open ? ' open' : ''}`, attrs: { title } }, content);
        if (n > 0) {
          const off = multi ? 'var(--vscode-charts-purple)' : 'var(--vscode-charts-red)';
          const color = i === j ? 'var(--vscode-charts-blue)' : off;
          css(cell, { 'background-color': `color-mix(in srgb, ${color} ${Math.round(8 + share * (MAX_MIX - 8))}%, transparent)` });
        }
        return cell;
      }),
      ...(multi ? errorCells(trueLabel, multi.missed[i] ?? 0, multi.falseAlarms[i] ?? 0) : []),
    );
  });
  const caption = multi
    ? l10n.t(
        'Label co-occurrence, {0} ({1} rows): rows are a true label, columns a label given; the diagonal counts the labels found',
        setName,
        count(metrics.count),
      )
    : l10n.t('Confusion matrix, {0} ({1} examples): rows are the true class, columns the prediction', setName, count(metrics.count));
  // A caption is as wide as its table, which may scroll sideways: it is read from the table, and shown above it.
  const table = h(
    'div',
    { class: 'scroll', attrs: { tabindex: 0, role: 'region', 'aria-label': l10n.t('Confusion matrix, scrollable') } },
    h(
      'table',
      { class: `data confusion${labels.length > 6 ? ' many' : ''}` },
      h('caption', { class: 'visually-hidden' }, caption),
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          h(
            'th',
            { class: 'corner', attrs: { scope: 'col' } },
            h('span', null, multi ? l10n.t('true ↓ / given →') : l10n.t('true ↓ / predicted →')),
          ),
          ...labels.map(headerCell),
          ...(multi
            ? [
                h(
                  'th',
                  { class: 'num error-count', attrs: { scope: 'col', title: l10n.t('rows with the label that did not get it') } },
                  h('span', null, l10n.t('Missed')),
                ),
                h(
                  'th',
                  { class: 'num error-count', attrs: { scope: 'col', title: l10n.t('rows given the label without having it') } },
                  h('span', null, l10n.t('False alarms')),
                ),
              ]
            : []),
        ),
      ),
      h('tbody', null, ...rows),
    ),
  );
  return h('div', null, h('p', { class: 'table-caption', attrs: { 'aria-hidden': 'true' } }, caption), table);
}

/** A multi-label row's errors: rows of the class it missed, rows it was given wrongly. */
function errorCells(label: string, missed: number, falseAlarms: number): HTMLElement[] {
  return [
    h('td', { class: 'num error-count', attrs: { title: l10n.t('{0}: {1} missed', label, count(missed)) } }, count(missed)),
    h('td', { class: 'num error-count', attrs: { title: l10n.t('{0}: {1} false alarms', label, count(falseAlarms)) } }, count(falseAlarms)),
  ];
}

/** Multi-label: the classes missed most and given wrongly most, in words. */
function coOccurrenceSummary(metrics: Metrics, multi: NonNullable<Metrics['multiLabel']>): string {
  const worst = (counts: readonly number[]) =>
    counts
      .map((n, i) => ({ label: metrics.labels[i], n }))
      .filter((c) => c.n > 0)
      .sort((a, b) => b.n - a.n)
      .slice(0, 3)
      .map((c) => l10n.t('{0} ({1})', c.label, count(c.n)))
      .join(l10n.t('; '));
  const missed = worst(multi.missed);
  const falseAlarms = worst(multi.falseAlarms);
  if (!missed && !falseAlarms) return l10n.t('Every label of every row was found, and none was given wrongly.');
  return [missed ? l10n.t('Missed most: {0}.', missed) : '', falseAlarms ? l10n.t('Given wrongly most: {0}.', falseAlarms) : '']
    .filter(Boolean)
    .join(' ');
}

/** The largest off-diagonal cells, in words (multi-label: the classes missed and given wrongly most). */
export function confusionSummary(metrics: Metrics): string {
  if (metrics.multiLabel) return coOccurrenceSummary(metrics, metrics.multiLabel);
  const mistakes: { from: string; to: string; n: number }[] = [];
  metrics.confusion.forEach((row, i) =>
    row.forEach((n, j) => i !== j && n > 0 && mistakes.push({ from: metrics.labels[i], to: metrics.labels[j], n })),
  );
  mistakes.sort((a, b) => b.n - a.n);
  if (!mistakes.length) return l10n.t('Every example was classified correctly.');
  const top = mistakes.slice(0, 3).map((m) => l10n.t('{0} taken for {1} ({2})', m.from, m.to, count(m.n)));
  return l10n.t('Most frequent confusions: {0}.', top.join(l10n.t('; ')));
}
