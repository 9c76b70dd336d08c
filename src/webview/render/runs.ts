// The runs saved to the model folder (newest first). Each is a button: clicking it (or Enter/Space on it)
// shows that run's curves and options below the list; clicking it again hides them.
import * as l10n from '@vscode/l10n';
import type { TrainOptions } from '../../protocol/types';
import type { MetricsViewModel } from '../../protocol/webview';
import { figures, h, section } from '../dom';
import { baseName, count, date, fixed, pct, seconds } from '../format';
import { curveCharts } from './curves';
import { fineTuneLine, lineageClass, parentRunButton } from './lineage';

type Run = MetricsViewModel['runs'][number];

export function runsSection(model: MetricsViewModel, selected: string | undefined, select: (id: string | undefined) => void): HTMLElement {
  const runs = model.runs ?? [];
  const list = h(
    'ol',
    { class: 'runs', attrs: { 'aria-label': l10n.t('Training runs, newest first') } },
    ...runs.map((run) => {
      const current = run.id === model.runId;
      return h(
        'li',
        { class: lineageClass(run) },
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
            current ? h('span', { class: 'badge' }, l10n.t('current')) : null,
          ),
          h('span', { class: 'run-dataset', attrs: { title: run.dataset } }, baseName(run.dataset)),
          fineTuneLine(run, runs),
          h('span', { class: 'run-scores' }, scores(run)),
          h('span', { class: 'run-options' }, keyOptions(run.options)),
        ),
      );
    }),
  );
  const run = runs.find((r) => r.id === selected);
  return section('runs', l10n.t('Runs ({0})', runs.length), list, run ? runDetail(run, model, select) : null);
}

function scores(run: Run): string {
  // A multi-label run's accuracy is subset accuracy (every label of a row right): said so, not passed off as accuracy.
  const accuracy = run.multiLabel ? l10n.t('subset accuracy {0}', pct(run.accuracy)) : l10n.t('accuracy {0}', pct(run.accuracy));
  const parts = [accuracy, l10n.t('macro-F1 {0}', fixed(run.macroF1))];
  if (run.testAccuracy !== undefined) parts.push(l10n.t('test {0}', pct(run.testAccuracy)));
  parts.push(run.epochs === 1 ? l10n.t('1 epoch') : l10n.t('{0} epochs', run.epochs), seconds(run.trainSeconds));
  return parts.join(' · ');
}

function keyOptions(o: TrainOptions): string {
  return [
    l10n.t('emb {0}', o.embeddingDim),
    o.bidirectional ? l10n.t('{0} units ×2', o.hiddenUnits) : l10n.t('{0} units', o.hiddenUnits),
    l10n.t('lr {0}', o.learningRate),
    l10n.t('batch {0}', o.batchSize),
    l10n.t('dropout {0}', o.dropout),
    o.tokenMode === 'char' ? l10n.t('characters') : l10n.t('words'),
  ].join(' · ');
}

function runDetail(run: Run, model: MetricsViewModel, select: (id: string) => void): HTMLElement {
  const title = l10n.t('Run of {0}', date(run.createdAt));
  const changed = (name: keyof TrainOptions) => run.id !== model.runId && model.options && model.options[name] !== run.options[name];
  const rows = (Object.keys(run.options) as (keyof TrainOptions)[]).map((name) =>
    h(
      'tr',
      { class: changed(name) ? 'changed' : undefined },
      // Option names are the settings' own (textcat.training.<name>), as the user writes them.
      h('th', { attrs: { scope: 'row' } }, h('code', null, name)),
      h(
        'td',
        null,
        h('code', null, String(run.options[name])),
        changed(name) ? h('span', { class: 'muted' }, ' ', l10n.t('(current: {0})', String(model.options[name]))) : null,
      ),
    ),
  );
  const detail = h(
    'section',
    { class: 'run-detail', attrs: { id: 'run-detail', 'aria-label': title, tabindex: -1 } },
    h('h3', null, run.id === model.runId ? l10n.t('{0} (current model)', title) : title),
    parentRunButton(run, model.runs ?? [], select),
    figures([
      [l10n.t('Dataset'), h('span', { class: 'path', attrs: { title: run.dataset } }, baseName(run.dataset))],
      [run.multiLabel ? l10n.t('Subset accuracy') : l10n.t('Accuracy'), pct(run.accuracy)],
      [l10n.t('Macro-F1'), fixed(run.macroF1)],
      ...(run.testAccuracy !== undefined
        ? ([
            [run.multiLabel ? l10n.t('Test subset accuracy') : l10n.t('Test accuracy'), pct(run.testAccuracy)],
            [l10n.t('Test macro-F1'), fixed(run.testMacroF1)],
          ] as [string, string][])
        : []),
      [l10n.t('Epochs'), count(run.epochs)],
      [l10n.t('Time'), seconds(run.trainSeconds)],
    ]),
    ...curveCharts({ epochs: run.history, title }),
    h(
      'table',
      { class: 'data compact options' },
      h(
        'caption',
        null,
        run.id === model.runId ? l10n.t('Options') : l10n.t('Options (those that differ from the current model are marked)'),
      ),
      h(
        'thead',
        null,
        h('tr', null, h('th', { attrs: { scope: 'col' } }, l10n.t('Option')), h('th', { attrs: { scope: 'col' } }, l10n.t('Value'))),
      ),
      h('tbody', null, ...rows),
    ),
  );
  return detail;
}
