// The examples of one confusion-matrix cell, listed under the matrix: each one's text (as text, never markup)
// and where it is in the dataset; activating one asks the host to open the dataset there.
import * as l10n from '@vscode/l10n';
import type { ConfusionCellExamples, ConfusionExample } from '../../protocol/webview';
import { h } from '../dom';
import { baseName, count, sentences } from '../format';

/** The host keeps at most this many validation examples with a model (modelStore's cap). */
const STORED_EXAMPLES = 5000;

export interface ExamplesPanel {
  id: string;
  truthLabel: string;
  predictedLabel: string;
  /** The cell's count in the matrix (every validation example, stored or not). */
  cellCount: number;
  /** Undefined while the host has not answered yet. */
  reply?: ConfusionCellExamples;
  onOpen: (example: ConfusionExample) => void;
  onClose: () => void;
}

export function confusionExamplesPanel(p: ExamplesPanel): HTMLElement {
  const headingId = `${p.id}-heading`;
  const correct = p.truthLabel === p.predictedLabel;
  const title = correct ? l10n.t('{0}, predicted correctly', p.truthLabel) : l10n.t('{0} predicted as {1}', p.truthLabel, p.predictedLabel);
  const close = h(
    'button',
    {
      class: 'close',
      attrs: {
        type: 'button',
        'aria-label': l10n.t('Close the list of examples'),
        title: l10n.t('Close'),
        'data-focus': 'examples:close',
      },
      on: { click: () => p.onClose() },
    },
    '×',
  );
  return h(
    'div',
    { class: 'examples-panel', attrs: { id: p.id, role: 'region', 'aria-labelledby': headingId } },
    h('div', { class: 'examples-header' }, h('h3', { attrs: { id: headingId } }, title), close),
    h('p', { class: 'muted', attrs: { role: 'status' } }, summary(p)),
    p.reply && p.reply.shown > 0
      ? h(
          'ol',
          { class: 'examples', attrs: { 'aria-label': l10n.t('Validation examples: {0}', title) } },
          ...p.reply.examples.map((e, k) => h('li', null, exampleButton(e, k, p.onOpen))),
        )
      : null,
  );
}

function exampleButton(example: ConfusionExample, k: number, onOpen: (example: ConfusionExample) => void): HTMLElement {
  const where = example.file ? baseName(example.file) : l10n.t('line {0}', count(example.line));
  return h(
    'button',
    {
      class: 'example',
      attrs: {
        type: 'button',
        title: `${example.text}\n\n${l10n.t('Open the dataset at {0}', where)}`,
        'data-focus': `example:${k}`,
        'data-line': example.line,
      },
      on: { click: () => onOpen(example) },
    },
    h('span', { class: 'example-text' }, example.text),
    h('span', { class: 'example-where' }, where),
  );
}

function summary(p: ExamplesPanel): string {
  const { reply } = p;
  if (!reply) return l10n.t('Loading the examples…');
  if (reply.total === 0)
    return l10n.t('The model kept none of these examples (it keeps the first {0} validation examples).', count(STORED_EXAMPLES));
  const found =
    reply.shown < reply.total
      ? l10n.t('{0} validation examples; the first {1} are listed.', count(reply.total), count(reply.shown))
      : reply.total === 1
        ? l10n.t('1 validation example.')
        : l10n.t('{0} validation examples.', count(reply.total));
  return sentences(
    found,
    l10n.t('Choose one to open it in the dataset.'),
    p.cellCount > reply.total &&
      p.cellCount > 0 &&
      l10n.t('The matrix counts {0}: the model keeps only the first {1} validation examples.', count(p.cellCount), count(STORED_EXAMPLES)),
  );
}
