// Dataset summary: file, rows, columns, examples per class and the distribution of line lengths.
import * as l10n from '@vscode/l10n';
import { namesColumnsByKeys } from '../../core/datasetFormats/columns';
import type { DatasetInfo } from '../../protocol/types';
import { withClassColor, type ClassColors } from '../classColors';
import { css, figures, fill, h, section } from '../dom';
import { baseName, count, pct } from '../format';
import { classHeader, header } from './tables';

/** Where the text and label columns came from, in words. */
function columnSource(source: DatasetInfo['columns']['source'], format: DatasetInfo['format']): string {
  switch (source) {
    case 'option':
      return l10n.t('chosen in settings');
    case 'header':
      return namesColumnsByKeys(format) ? l10n.t('from the keys') : l10n.t('from the header');
    case 'data':
      return l10n.t('guessed from the values');
    case 'format':
      return l10n.t('fixed by the format');
    default:
      return String(source);
  }
}

/** `colors` gives each class the color of its inline label (the model's label order). */
export function datasetSection(info: DatasetInfo, title = l10n.t('Dataset'), colors: ClassColors = () => undefined): HTMLElement {
  const classes = Object.entries(info.classCounts).sort((a, b) => b[1] - a[1]);
  return section(
    'dataset',
    title,
    figures([
      [l10n.t('File'), h('span', { class: 'path', attrs: { title: info.path } }, baseName(info.path))],
      [l10n.t('Rows'), count(info.rows)],
      [l10n.t('Classes'), count(classes.length)],
      [l10n.t('Format'), info.format.toUpperCase()],
    ]),
    columnsLine(info.columns, info.format),
    classTable(classes, info.rows, colors),
    lengthHistogram(info.lengthHistogram),
    info.warnings.length
      ? h('ul', { class: 'warnings', attrs: { 'aria-label': l10n.t('Warnings') } }, ...info.warnings.map((w) => h('li', null, w)))
      : null,
  );
}

function columnsLine(columns: DatasetInfo['columns'], format: DatasetInfo['format']): HTMLElement {
  const source = columnSource(columns.source, format);
  // '{0}' and '{1}' stay in the message, where the column names go as <code> (in any language's word order).
  const message = columns.confident
    ? l10n.t('Text column {0}, label column {1} ({2}).', '{0}', '{1}', source)
    : l10n.t('Text column {0}, label column {1} ({2}, unsure).', '{0}', '{1}', source);
  return h('p', { class: 'columns' }, ...fill(message, h('code', null, columns.text), h('code', null, columns.label)));
}

function classTable(classes: [string, number][], rows: number, colors: ClassColors): HTMLElement {
  const max = Math.max(1, ...classes.map(([, n]) => n));
  return h(
    'table',
    { class: 'data class-counts' },
    h('caption', null, l10n.t('Examples per class')),
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        h('th', { attrs: { scope: 'col' } }, l10n.t('Class')),
        header({ name: l10n.t('Examples'), short: l10n.t('n') }),
        h('th', { class: 'num bar-col', attrs: { scope: 'col' } }, l10n.t('Share')),
      ),
    ),
    h(
      'tbody',
      null,
      ...classes.map(([label, n]) =>
        h(
          'tr',
          null,
          classHeader(label, colors),
          h('td', { class: 'num' }, count(n)),
          h('td', { class: 'bar-col' }, withClassColor(bar(n / max, pct(n / Math.max(1, rows))), colors(label))),
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
  const half = median >= 0 ? name(median) : '–';
  const summary = longest
    ? l10n.t(
        'Most lines are short: half have {0} tokens or fewer; {1} ({2}) have {3} and are truncated to the maximum length.',
        half,
        count(longest),
        pct(longest / Math.max(1, total)),
        name(counts.length - 1),
      )
    : l10n.t('Most lines are short: half have {0} tokens or fewer.', half);
  const bars = h(
    'div',
    {
      class: 'histogram',
      attrs: {
        role: 'img',
        'aria-label': l10n.t('Histogram of line lengths in tokens, {0} bins of {1}. {2}', counts.length, binWidth, summary),
      },
    },
    ...counts.map((c, i) =>
      h(
        'div',
        { class: 'histogram-bin', attrs: { title: l10n.t('{0} tokens: {1} lines', name(i), count(c)) } },
        css(h('div', { class: 'histogram-bar' }), { height: `${(c / max) * 100}%` }),
      ),
    ),
  );
  const axis = h(
    'div',
    { class: 'histogram-axis', attrs: { 'aria-hidden': 'true' } },
    h('span', null, '0'),
    h('span', null, l10n.t('{0}+ tokens', (counts.length - 1) * binWidth)),
  );
  const table = h(
    'table',
    { class: 'data compact' },
    h('caption', null, l10n.t('Lines per length')),
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        h('th', { attrs: { scope: 'col' } }, l10n.t('Tokens')),
        h('th', { class: 'num', attrs: { scope: 'col' } }, l10n.t('Lines')),
      ),
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
    h('h3', null, l10n.t('Line length')),
    bars,
    axis,
    h('figcaption', { class: 'chart-summary' }, summary),
    h('details', null, h('summary', null, l10n.t('Table')), table),
  );
}
