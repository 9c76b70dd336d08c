// The parts around the figures: the empty state, the training banner and the model overview.
import * as l10n from '@vscode/l10n';
import type { LiveTraining, MetricsViewCommand, MetricsViewModel } from '../../protocol/webview';
import { classColors, withClassColor } from '../classColors';
import { figures, h, section } from '../dom';
import { baseName, count, date, fixed, pct, seconds } from '../format';
import { baselineComparison } from './baseline';
import { fineTuneNote } from './lineage';

export type RunCommand = (command: MetricsViewCommand) => void;

export function commandButton(text: string, command: MetricsViewCommand, run: RunCommand, primary = true): HTMLButtonElement {
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
    h('h2', { attrs: { id: 'empty-heading' } }, l10n.t('No model trained yet')),
    h(
      'p',
      null,
      hasWorkspace
        ? l10n.t(
            'Train an LSTM classifier on a labeled dataset in your workspace (CSV, TSV, JSONL, JSON, fastText, or a folder per class). Its curves, confusion matrix and scores appear here.',
          )
        : l10n.t('Open a folder first: the model is saved in the workspace, next to its dataset.'),
    ),
    hasWorkspace ? commandButton(l10n.t('Train Classifier…'), 'textcat.train', run) : null,
  );
}

export function trainingBanner(training: LiveTraining, run: RunCommand): HTMLElement {
  const p = training.progress;
  const done = p ? (p.epoch - 1 + p.batch / Math.max(1, p.batches)) / Math.max(1, p.epochs) : 0;
  const where = p
    ? l10n.t('epoch {0} of {1}, batch {2} of {3}', count(p.epoch), count(p.epochs), count(p.batch), count(p.batches))
    : l10n.t('reading the dataset…');
  const bar = h('progress', { attrs: { max: 1, value: done.toFixed(4), 'aria-label': l10n.t('Training progress: {0}', pct(done, 0)) } });
  return section(
    'training',
    l10n.t('Training…'),
    h('p', null, h('span', { class: 'path', attrs: { title: training.dataset } }, baseName(training.dataset)), ` — ${where}`),
    bar,
    p
      ? h(
          'p',
          { class: 'muted' },
          [
            l10n.t('loss {0}', fixed(p.loss)),
            l10n.t('accuracy {0}', pct(p.accuracy)),
            l10n.t('{0} samples/s', count(Math.round(p.samplesPerSecond))),
            p.etaSeconds > 0 ? l10n.t('about {0} left', seconds(p.etaSeconds)) : '',
          ]
            .filter(Boolean)
            .join(' · '),
        )
      : null,
    commandButton(l10n.t('Cancel Training'), 'textcat.cancelTraining', run, false),
  );
}

/**
 * The model card's headline figures. A multi-label model's accuracy is its subset accuracy (rows whose label set is
 * exactly right), a much harsher figure than a single-label accuracy, so it is named for what it is.
 */
export function overviewFigures(model: Pick<MetricsViewModel, 'metrics' | 'multiLabel'>): [string, string][] {
  const v = model.metrics.validation;
  const t = model.metrics.test;
  const multi = model.multiLabel === true;
  return [
    [multi ? l10n.t('Subset accuracy') : l10n.t('Accuracy'), pct(v?.accuracy)],
    [l10n.t('Macro-F1'), fixed(v?.macroF1)],
    ...(t
      ? ([
          [multi ? l10n.t('Test subset accuracy') : l10n.t('Test accuracy'), pct(t.accuracy)],
          [l10n.t('Test macro-F1'), fixed(t.macroF1)],
        ] as [string, string][])
      : []),
  ];
}

export function modelOverview(model: MetricsViewModel, training: boolean, run: RunCommand): HTMLElement {
  const pairs = overviewFigures(model);
  const epochs = count(model.history.length);
  // A fine-tune that kept its parent's weights has best epoch 0 (the parent): say that rather than "best 0".
  const best = model.warmStart?.keptParent ? l10n.t('the parent run') : count(model.bestEpoch);
  const details: [string, string][] = [
    [l10n.t('Epochs'), model.stoppedEarly ? l10n.t('{0} (stopped early), best {1}', epochs, best) : l10n.t('{0}, best {1}', epochs, best)],
    [l10n.t('Trained in'), l10n.t('{0} ({1} samples/s)', seconds(model.trainSeconds), count(Math.round(model.samplesPerSecond)))],
  ];
  const colors = classColors(model.labels);
  return section(
    'model',
    training ? l10n.t('Current model (until this run finishes)') : l10n.t('Model'),
    h('p', { class: 'muted' }, l10n.t('Saved {0} · {1} classes · validation set', date(model.createdAt), count(model.labels.length))),
    fineTuneNote(model),
    // Each class in the color of its inline label in the editor.
    h(
      'ul',
      { class: 'chips', attrs: { 'aria-label': l10n.t('Classes') } },
      ...model.labels.map((label) => withClassColor(h('li', { class: 'chip', attrs: { title: label } }, label), colors(label))),
    ),
    figures(pairs, 'figures headline'),
    baselineComparison(model),
    figures(details, 'figures details'),
    training
      ? null
      : h(
          'div',
          { class: 'actions' },
          commandButton(l10n.t('Train Again…'), 'textcat.train', run, false),
          commandButton(l10n.t('Evaluate on Dataset…'), 'textcat.evaluate', run, false),
        ),
  );
}
