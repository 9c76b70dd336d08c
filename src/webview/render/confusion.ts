// The confusion matrix as a real table: rows are true labels, columns predictions. Each cell's background
// mixes a theme color with transparency in proportion to its share of the row (correct: blue, errors: red).
// Where the model kept the examples (validation), a non-empty cell is a button that lists them. Column
// headers are written vertically, so a dozen classes with long names still fit a narrow sidebar; each class
// name carries a swatch of its inline label's color.
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
  const name = (label: string) => classLabel(label, colors);
  const headerCell = (label: string) =>
    h('th', { class: 'label predicted', attrs: { scope: 'col', title: l10n.t('predicted {0}', label) } }, name(label));
  const rows = labels.map((trueLabel, i) => {
    const row = confusion[i] ?? [];
    const total = row.reduce((a, b) => a + b, 0);
    return h(
      'tr',
      null,
      h('th', { class: 'label', attrs: { scope: 'row', title: l10n.t('true {0}', trueLabel) } }, name(trueLabel)),
      ...labels.map((predicted, j) => {
        const n = row[j] ?? 0;
        const share = total ? n / total : 0;
        const title = l10n.t('true {0}, predicted {1}: {2} ({3} of {0})', trueLabel, predicted, count(n), pct(share));
        const open = drill?.open?.truth === i && drill.open.predicted === j;
        const content =
          drill && n > 0
            ? h(
                'button',
                {
                  class: 'cell-button',
                  attrs: {
                    type: 'button',
                    'aria-label':
                      n === 1
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
          const color = i === j ? 'var(--vscode-charts-blue)' : 'var(--vscode-charts-red)';
          css(cell, { 'background-color': `color-mix(in srgb, ${color} ${Math.round(8 + share * (MAX_MIX - 8))}%, transparent)` });
        }
        return cell;
      }),
    );
  });
  const caption = l10n.t(
    'Confusion matrix, {0} ({1} examples): rows are the true class, columns the prediction',
    setName,
    count(metrics.count),
  );
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
          h('th', { class: 'corner', attrs: { scope: 'col' } }, h('span', null, l10n.t('true ↓ / predicted →'))),
          ...labels.map(headerCell),
        ),
      ),
      h('tbody', null, ...rows),
    ),
  );
  return h('div', null, h('p', { class: 'table-caption', attrs: { 'aria-hidden': 'true' } }, caption), table);
}

/** The largest off-diagonal cells, in words. */
export function confusionSummary(metrics: Metrics): string {
  const mistakes: { from: string; to: string; n: number }[] = [];
  metrics.confusion.forEach((row, i) =>
    row.forEach((n, j) => i !== j && n > 0 && mistakes.push({ from: metrics.labels[i], to: metrics.labels[j], n })),
  );
  mistakes.sort((a, b) => b.n - a.n);
  if (!mistakes.length) return l10n.t('Every example was classified correctly.');
  const top = mistakes.slice(0, 3).map((m) => l10n.t('{0} taken for {1} ({2})', m.from, m.to, count(m.n)));
  return l10n.t('Most frequent confusions: {0}.', top.join(l10n.t('; ')));
}
