// The examples of one confusion-matrix cell, listed under the matrix: each one's text (as text, never markup)
// and where it is in the dataset; activating one asks the host to open the dataset there.
import type { ConfusionCellExamples, ConfusionExample } from '../../protocol/webview';
import { h } from '../dom';
import { baseName, count } from '../format';

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
  onClose(): void;
}

export function confusionExamplesPanel(p: ExamplesPanel): HTMLElement {
  const headingId = `${p.id}-heading`;
  const correct = p.truthLabel === p.predictedLabel;
  const title = correct ? `${p.truthLabel}, predicted correctly` : `${p.truthLabel} predicted as ${p.predictedLabel}`;
  const close = h(
    'button',
    {
      class: 'close',
      attrs: { type: 'button', 'aria-label': 'Close the list of examples', title: 'Close', 'data-focus': 'examples:close' },
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
          { class: 'examples', attrs: { 'aria-label': `Validation examples: ${title}` } },
          ...p.reply.examples.map((e, k) => h('li', null, exampleButton(e, k, p.onOpen))),
        )
      : null,
  );
}

function exampleButton(example: ConfusionExample, k: number, onOpen: (example: ConfusionExample) => void): HTMLElement {
  const where = example.file ? baseName(example.file) : `line ${count(example.line)}`;
  return h(
    'button',
    {
      class: 'example',
      attrs: {
        type: 'button',
        title: `${example.text}\n\nOpen the dataset at ${where}`,
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
  if (!reply) return 'Loading the examples…';
  if (reply.total === 0) return 'The model kept none of these examples (it keeps the first 5,000 validation examples).';
  const noun = reply.total === 1 ? 'validation example' : 'validation examples';
  const listed = reply.shown < reply.total ? `; the first ${count(reply.shown)} are listed` : '';
  const unkept =
    p.cellCount > reply.total && p.cellCount > 0
      ? ` The matrix counts ${count(p.cellCount)}: the model keeps only the first ${count(STORED_EXAMPLES)} validation examples.`
      : '';
  return `${count(reply.total)} ${noun}${listed}. Choose one to open it in the dataset.${unkept}`;
}
