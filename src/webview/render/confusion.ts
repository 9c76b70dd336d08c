// The confusion matrix as a real table: rows are true labels, columns predictions. Each cell's background
// mixes a theme color with transparency in proportion to its share of the row (correct: blue, errors: red).
// Where the model kept the examples (validation), a non-empty cell is a button that lists them.
import type { Metrics } from '../../protocol/types';
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

export function confusionTable(metrics: Metrics, setName: string, drill?: CellDrill): HTMLElement {
  const { labels, confusion } = metrics;
  const headerCell = (label: string) => h('th', { class: 'label', attrs: { scope: 'col', title: `predicted ${label}` } }, label);
  const rows = labels.map((trueLabel, i) => {
    const row = confusion[i] ?? [];
    const total = row.reduce((a, b) => a + b, 0);
    return h(
      'tr',
      null,
      h('th', { class: 'label', attrs: { scope: 'row', title: `true ${trueLabel}` } }, trueLabel),
      ...labels.map((predicted, j) => {
        const n = row[j] ?? 0;
        const share = total ? n / total : 0;
        const title = `true ${trueLabel}, predicted ${predicted}: ${count(n)} (${pct(share)} of ${trueLabel})`;
        const open = drill?.open?.truth === i && drill.open.predicted === j;
        const content =
          drill && n > 0
            ? h(
                'button',
                {
                  class: 'cell-button',
                  attrs: {
                    type: 'button',
                    'aria-label': `${count(n)} ${n === 1 ? 'example' : 'examples'} of ${trueLabel} predicted as ${predicted}`,
                    'aria-expanded': open ? 'true' : 'false',
                    'aria-controls': open ? drill.panelId : undefined,
                    'data-focus': `cell:${i}:${j}`,
                    'data-truth': i,
                    'data-predicted': j,
                    title: `${title}. Click to list them.`,
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
  return h(
    'div',
    { class: 'scroll', attrs: { tabindex: 0, role: 'region', 'aria-label': 'Confusion matrix, scrollable' } },
    h(
      'table',
      { class: 'data confusion' },
      h(
        'caption',
        null,
        `Confusion matrix, ${setName} (${count(metrics.count)} examples): rows are the true class, columns the prediction`,
      ),
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          h('th', { class: 'corner', attrs: { scope: 'col' } }, h('span', null, 'true ↓ / predicted →')),
          ...labels.map(headerCell),
        ),
      ),
      h('tbody', null, ...rows),
    ),
  );
}

/** The largest off-diagonal cells, in words. */
export function confusionSummary(metrics: Metrics): string {
  const mistakes: { from: string; to: string; n: number }[] = [];
  metrics.confusion.forEach((row, i) =>
    row.forEach((n, j) => i !== j && n > 0 && mistakes.push({ from: metrics.labels[i], to: metrics.labels[j], n })),
  );
  mistakes.sort((a, b) => b.n - a.n);
  if (!mistakes.length) return 'Every example was classified correctly.';
  const top = mistakes.slice(0, 3).map((m) => `${m.from} taken for ${m.to} (${m.n})`);
  return `Most frequent confusions: ${top.join('; ')}.`;
}
