// Dataset summary: file, rows, columns, examples per class and the distribution of line lengths.
import type { DatasetInfo } from '../../protocol/types';
import { css, figures, h, section } from '../dom';
import { baseName, count, pct } from '../format';

const SOURCES: Record<DatasetInfo['columns']['source'], string> = {
  option: 'chosen in settings',
  header: 'from the header',
  data: 'guessed from the values',
  format: 'fixed by the format',
};

export function datasetSection(info: DatasetInfo, title = 'Dataset'): HTMLElement {
  const classes = Object.entries(info.classCounts).sort((a, b) => b[1] - a[1]);
  return section(
    'dataset',
    title,
    figures([
      ['File', h('span', { class: 'path', attrs: { title: info.path } }, baseName(info.path))],
      ['Rows', count(info.rows)],
      ['Classes', String(classes.length)],
      ['Format', info.format.toUpperCase()],
    ]),
    columnsLine(info.columns),
    classTable(classes, info.rows),
    lengthHistogram(info.lengthHistogram),
    info.warnings.length
      ? h('ul', { class: 'warnings', attrs: { 'aria-label': 'Warnings' } }, ...info.warnings.map((w) => h('li', null, w)))
      : null,
  );
}

function columnsLine(columns: DatasetInfo['columns']): HTMLElement {
  return h(
    'p',
    { class: 'columns' },
    'Text column ',
    h('code', null, columns.text),
    ', label column ',
    h('code', null, columns.label),
    ` (${SOURCES[columns.source] ?? columns.source}${columns.confident ? '' : ', unsure'}).`,
  );
}

function classTable(classes: [string, number][], rows: number): HTMLElement {
  const max = Math.max(1, ...classes.map(([, n]) => n));
  return h(
    'table',
    { class: 'data class-counts' },
    h('caption', null, 'Examples per class'),
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        h('th', { attrs: { scope: 'col' } }, 'Class'),
        h('th', { class: 'num', attrs: { scope: 'col' } }, 'Examples'),
        h('th', { class: 'bar-col', attrs: { scope: 'col' } }, 'Share'),
      ),
    ),
    h(
      'tbody',
      null,
      ...classes.map(([label, n]) =>
        h(
          'tr',
          null,
          h('th', { class: 'label', attrs: { scope: 'row', title: label } }, label),
          h('td', { class: 'num' }, count(n)),
          h('td', { class: 'bar-col' }, bar(n / max, pct(n / Math.max(1, rows)))),
        ),
      ),
    ),
  );
}

/** A horizontal bar (its length set through CSSOM) with its figure as text. */
export function bar(fraction: number, text: string): HTMLElement {
  const fill = css(h('span', { class: 'bar-fill', attrs: { 'aria-hidden': 'true' } }), {
    width: `${Math.max(0, Math.min(1, fraction)) * 100}%`,
  });
  return h(
    'span',
    { class: 'bar' },
    h('span', { class: 'bar-track', attrs: { 'aria-hidden': 'true' } }, fill),
    h('span', { class: 'bar-text' }, text),
  );
}

function lengthHistogram({ binWidth, counts }: DatasetInfo['lengthHistogram']): HTMLElement {
  const total = counts.reduce((a, b) => a + b, 0);
  const max = Math.max(1, ...counts);
  const name = (i: number) => (i === counts.length - 1 ? `${i * binWidth}+` : `${i * binWidth}–${i * binWidth + binWidth - 1}`);
  // The bin holding the median line, and how many lines the last (open-ended) bin holds.
  let seen = 0;
  const median = counts.findIndex((c) => (seen += c) >= total / 2);
  const longest = counts.at(-1) ?? 0;
  const summary = `Most lines are short: half have ${median >= 0 ? name(median) : '–'} tokens or fewer${longest ? `; ${count(longest)} (${pct(longest / Math.max(1, total))}) have ${name(counts.length - 1)} and are truncated to the maximum length` : ''}.`;
  const bars = h(
    'div',
    {
      class: 'histogram',
      attrs: { role: 'img', 'aria-label': `Histogram of line lengths in tokens, ${counts.length} bins of ${binWidth}. ${summary}` },
    },
    ...counts.map((c, i) =>
      h(
        'div',
        { class: 'histogram-bin', attrs: { title: `${name(i)} tokens: ${count(c)} lines` } },
        css(h('div', { class: 'histogram-bar' }), { height: `${(c / max) * 100}%` }),
      ),
    ),
  );
  const axis = h(
    'div',
    { class: 'histogram-axis', attrs: { 'aria-hidden': 'true' } },
    h('span', null, '0'),
    h('span', null, `${(counts.length - 1) * binWidth}+ tokens`),
  );
  const table = h(
    'table',
    { class: 'data compact' },
    h('caption', null, 'Lines per length'),
    h(
      'thead',
      null,
      h('tr', null, h('th', { attrs: { scope: 'col' } }, 'Tokens'), h('th', { class: 'num', attrs: { scope: 'col' } }, 'Lines')),
    ),
    h(
      'tbody',
      null,
      ...counts.map((c, i) => h('tr', null, h('th', { attrs: { scope: 'row' } }, name(i)), h('td', { class: 'num' }, count(c)))),
    ),
  );
  return h(
    'figure',
    { class: 'chart' },
    h('h3', null, 'Line length'),
    bars,
    axis,
    h('figcaption', { class: 'chart-summary' }, summary),
    h('details', null, h('summary', null, 'Table'), table),
  );
}
