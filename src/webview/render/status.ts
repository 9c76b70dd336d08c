// The parts around the figures: the empty state, the training banner and the model overview.
import type { LiveTraining, MetricsViewCommand, MetricsViewModel } from '../../protocol';
import { figures, h, section } from '../dom';
import { baseName, count, date, fixed, pct, seconds } from '../format';
import { baselineComparison } from './baseline';

export type RunCommand = (command: MetricsViewCommand) => void;

function commandButton(text: string, command: MetricsViewCommand, run: RunCommand, primary = true): HTMLButtonElement {
  return h(
    'button',
    {
      class: primary ? 'primary' : 'secondary',
      attrs: { type: 'button', 'data-focus': `command:${command}` },
      on: { click: () => run(command) },
    },
    text,
  );
}

export function emptyState(hasWorkspace: boolean, run: RunCommand): HTMLElement {
  return h(
    'section',
    { class: 'card empty', attrs: { id: 'empty', 'aria-labelledby': 'empty-heading' } },
    h('h2', { attrs: { id: 'empty-heading' } }, 'No model trained yet'),
    h(
      'p',
      null,
      hasWorkspace
        ? 'Train an LSTM classifier on a labeled dataset in your workspace (CSV, TSV, JSONL, JSON, fastText, or a folder per class). Its curves, confusion matrix and scores appear here.'
        : 'Open a folder first: the model is saved in the workspace, next to its dataset.',
    ),
    hasWorkspace ? commandButton('Train Classifier…', 'textcat.train', run) : null,
  );
}

export function trainingBanner(training: LiveTraining, run: RunCommand): HTMLElement {
  const p = training.progress;
  const done = p ? (p.epoch - 1 + p.batch / Math.max(1, p.batches)) / Math.max(1, p.epochs) : 0;
  const where = p ? `epoch ${p.epoch} of ${p.epochs}, batch ${p.batch} of ${p.batches}` : 'reading the dataset…';
  const bar = h('progress', { attrs: { max: 1, value: done.toFixed(4), 'aria-label': `Training progress: ${pct(done, 0)}` } });
  return section(
    'training',
    'Training…',
    h('p', null, h('span', { class: 'path', attrs: { title: training.dataset } }, baseName(training.dataset)), ` — ${where}`),
    bar,
    p
      ? h(
          'p',
          { class: 'muted' },
          [
            `loss ${fixed(p.loss)}`,
            `accuracy ${pct(p.accuracy)}`,
            `${count(Math.round(p.samplesPerSecond))} samples/s`,
            p.etaSeconds > 0 ? `about ${seconds(p.etaSeconds)} left` : '',
          ]
            .filter(Boolean)
            .join(' · '),
        )
      : null,
    commandButton('Cancel Training', 'textcat.cancelTraining', run, false),
  );
}

export function modelOverview(model: MetricsViewModel, training: boolean, run: RunCommand): HTMLElement {
  const v = model.metrics.validation;
  const t = model.metrics.test;
  const pairs: [string, string][] = [
    ['Accuracy', pct(v?.accuracy)],
    ['Macro-F1', fixed(v?.macroF1)],
    ...(t
      ? ([
          ['Test accuracy', pct(t.accuracy)],
          ['Test macro-F1', fixed(t.macroF1)],
        ] as [string, string][])
      : []),
  ];
  const details: [string, string][] = [
    ['Epochs', `${model.history.length}${model.stoppedEarly ? ' (stopped early)' : ''}, best ${model.bestEpoch}`],
    ['Trained in', `${seconds(model.trainSeconds)} (${count(Math.round(model.samplesPerSecond))} samples/s)`],
  ];
  return section(
    'model',
    training ? 'Current model (until this run finishes)' : 'Model',
    h('p', { class: 'muted' }, `Saved ${date(model.createdAt)} · ${model.labels.length} classes · validation set`),
    h(
      'ul',
      { class: 'chips', attrs: { 'aria-label': 'Classes' } },
      ...model.labels.map((label) => h('li', { class: 'chip', attrs: { title: label } }, label)),
    ),
    figures(pairs, 'figures headline'),
    baselineComparison(model),
    figures(details, 'figures details'),
    training
      ? null
      : h(
          'div',
          { class: 'actions' },
          commandButton('Train Again…', 'textcat.train', run, false),
          commandButton('Evaluate on Dataset…', 'textcat.evaluate', run, false),
        ),
  );
}
