// The runs saved to the model folder (newest first). Each is a button: clicking it (or Enter/Space on it)
// shows that run's curves and options below the list; clicking it again hides them.
import type { TrainOptions } from '../../protocol/types';
import type { MetricsViewModel } from '../../protocol/webview';
import { figures, h, section } from '../dom';
import { baseName, date, fixed, pct, seconds } from '../format';
import { curveCharts } from './curves';

type Run = MetricsViewModel['runs'][number];

export function runsSection(model: MetricsViewModel, selected: string | undefined, select: (id: string | undefined) => void): HTMLElement {
  const runs = model.runs ?? [];
  const list = h(
    'ol',
    { class: 'runs', attrs: { 'aria-label': 'Training runs, newest first' } },
    ...runs.map((run) => {
      const current = run.id === model.runId;
      return h(
        'li',
        null,
        h(
          'button',
          {
            class: `run${run.id === selected ? ' selected' : ''}`,
            attrs: {
              type: 'button',
              'aria-pressed': run.id === selected ? 'true' : 'false',
              'data-run-id': run.id,
              'aria-controls': 'run-detail',
            },
            on: { click: () => select(run.id === selected ? undefined : run.id) },
          },
          h(
            'span',
            { class: 'run-title' },
            h('span', { class: 'run-date' }, date(run.createdAt)),
            current ? h('span', { class: 'badge' }, 'current') : null,
          ),
          h('span', { class: 'run-dataset', attrs: { title: run.dataset } }, baseName(run.dataset)),
          h('span', { class: 'run-scores' }, scores(run)),
          h('span', { class: 'run-options' }, keyOptions(run.options)),
        ),
      );
    }),
  );
  const run = runs.find((r) => r.id === selected);
  return section('runs', `Runs (${runs.length})`, list, run ? runDetail(run, model) : null);
}

function scores(run: Run): string {
  const parts = [`accuracy ${pct(run.accuracy)}`, `macro-F1 ${fixed(run.macroF1)}`];
  if (run.testAccuracy !== undefined) parts.push(`test ${pct(run.testAccuracy)}`);
  parts.push(`${run.epochs} epoch${run.epochs === 1 ? '' : 's'}`, seconds(run.trainSeconds));
  return parts.join(' · ');
}

function keyOptions(o: TrainOptions): string {
  return [
    `emb ${o.embeddingDim}`,
    `${o.hiddenUnits} units${o.bidirectional ? ' ×2' : ''}`,
    `lr ${o.learningRate}`,
    `batch ${o.batchSize}`,
    `dropout ${o.dropout}`,
    o.tokenMode,
  ].join(' · ');
}

function runDetail(run: Run, model: MetricsViewModel): HTMLElement {
  const title = `Run of ${date(run.createdAt)}`;
  const changed = (name: keyof TrainOptions) => run.id !== model.runId && model.options && model.options[name] !== run.options[name];
  const rows = (Object.keys(run.options) as (keyof TrainOptions)[]).map((name) =>
    h(
      'tr',
      { class: changed(name) ? 'changed' : undefined },
      h('th', { attrs: { scope: 'row' } }, name),
      h(
        'td',
        null,
        String(run.options[name]),
        changed(name) ? h('span', { class: 'muted' }, ` (current: ${String(model.options[name])})`) : null,
      ),
    ),
  );
  const detail = h(
    'section',
    { class: 'run-detail', attrs: { id: 'run-detail', 'aria-label': title, tabindex: -1 } },
    h('h3', null, title, run.id === model.runId ? ' (current model)' : ''),
    figures([
      ['Dataset', h('span', { class: 'path', attrs: { title: run.dataset } }, baseName(run.dataset))],
      ['Accuracy', pct(run.accuracy)],
      ['Macro-F1', fixed(run.macroF1)],
      ...(run.testAccuracy !== undefined
        ? ([
            ['Test accuracy', pct(run.testAccuracy)],
            ['Test macro-F1', fixed(run.testMacroF1)],
          ] as [string, string][])
        : []),
      ['Epochs', String(run.epochs)],
      ['Time', seconds(run.trainSeconds)],
    ]),
    ...curveCharts({ epochs: run.history, title }),
    h(
      'table',
      { class: 'data compact options' },
      h('caption', null, run.id === model.runId ? 'Options' : 'Options (those that differ from the current model are marked)'),
      h('thead', null, h('tr', null, h('th', { attrs: { scope: 'col' } }, 'Option'), h('th', { attrs: { scope: 'col' } }, 'Value'))),
      h('tbody', null, ...rows),
    ),
  );
  return detail;
}
