// The Autotune section: the trials of a Train with Autotune run (live as each ends, or the current model's saved
// search), each with the options it changed, its validation macro-F1, its time and its status with the reason,
// then which options the saved model uses and why. Option names and values are the settings' own.
import * as l10n from '@vscode/l10n';
import type { TrainOptions } from '../../protocol/types';
import type { AutotuneView } from '../../protocol/webview';
import { trialRows, type TrialRow, type TrialStatus } from '../autotuneRows';
import { h, section, type Child } from '../dom';
import { baseName, count, fixed, seconds, sentences } from '../format';
import { commandButton, type RunCommand } from './status';

export function autotuneSection(view: AutotuneView, run: RunCommand): HTMLElement {
  const rows = trialRows(view);
  const start = Object.keys(view.start).length > 0;
  return section(
    'autotune',
    l10n.t('Autotune ({0})', baseName(view.dataset)),
    h('p', { class: 'muted' }, about(view)),
    view.phase === 'running' && view.secondsLeft !== undefined
      ? h('progress', {
          attrs: {
            max: 1,
            value: (1 - view.secondsLeft / view.budgetSeconds).toFixed(4),
            'aria-label': l10n.t('Budget used: {0} left', seconds(view.secondsLeft)),
          },
        })
      : null,
    start ? h('p', { class: 'muted' }, l10n.t('Your settings apply to every trial:'), ' ', optionList(view.start)) : null,
    h(
      'table',
      { class: 'data compact autotune-trials' },
      h('caption', null, l10n.t('Trials, in the order they ran; options are those that differ from {0}', startName(start))),
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          h('th', { class: 'num', attrs: { scope: 'col' } }, '#'),
          h('th', { class: 'num', attrs: { scope: 'col' } }, l10n.t('Macro-F1')),
          h('th', { class: 'num', attrs: { scope: 'col' } }, l10n.t('Time')),
          h('th', { attrs: { scope: 'col' } }, l10n.t('Status')),
        ),
      ),
      // One body per trial: its figures, then its options on a line of their own (the sidebar is narrow).
      ...rows.map((row) => trialBody(row, view, start)),
    ),
    rows.length === 0 ? h('p', { class: 'muted' }, l10n.t('The first trial trains the starting options…')) : null,
    h('p', { class: 'autotune-choice' }, choice(view, start)),
    view.stopped ? h('p', { class: 'muted' }, l10n.t('Stopped: {0}', view.stopped.why)) : null,
    // Cancel Training stops a search as the notification's Cancel does: nothing is saved.
    view.phase === 'running' ? commandButton(l10n.t('Cancel Training'), 'textcat.cancelTraining', run, false) : null,
  );
}

function about(view: AutotuneView): string {
  const scoring =
    view.folds === undefined
      ? undefined
      : view.folds > 1
        ? l10n.t('each trial scored by {0}-fold cross-validation', view.folds)
        : l10n.t('each trial scored on the validation split');
  return [
    l10n.t('budget {0}', seconds(view.budgetSeconds)),
    view.rows !== undefined ? l10n.t('{0} rows', count(view.rows)) : undefined,
    scoring,
    view.phase === 'running' && view.secondsLeft !== undefined ? l10n.t('{0} left', seconds(view.secondsLeft)) : undefined,
  ]
    .filter(Boolean)
    .join(' · ');
}

const startName = (start: boolean) => (start ? l10n.t('your settings') : l10n.t('the defaults'));

function optionList(options: Partial<TrainOptions>): Child {
  const entries = Object.entries(options);
  return h(
    'span',
    { class: 'autotune-options' },
    ...entries.flatMap(([name, value], i) => [i ? ' ' : null, h('code', null, `${name} ${String(value)}`)]),
  );
}

function trialBody(row: TrialRow, view: AutotuneView, start: boolean): HTMLElement {
  const none = Object.keys(row.changes).length === 0;
  const classes = ['trial', `status-${row.status.kind}`, row.status.kind === 'best' ? 'chosen' : ''].filter(Boolean).join(' ');
  return h(
    'tbody',
    { class: classes, attrs: row.index === undefined ? {} : { 'data-trial': row.index } },
    h(
      'tr',
      null,
      h('th', { class: 'num', attrs: { scope: 'row', rowspan: 2 } }, row.index === undefined ? '–' : count(row.index)),
      h('td', { class: 'num score' }, row.macroF1 === undefined ? '–' : fixed(row.macroF1)),
      h('td', { class: 'num' }, row.seconds === undefined ? '–' : seconds(row.seconds)),
      h('td', { class: 'status' }, ...statusText(row.status, view)),
    ),
    h(
      'tr',
      { class: 'trial-options' },
      h(
        'td',
        { attrs: { colspan: 3, 'aria-label': l10n.t('Options') } },
        none ? h('span', { class: 'muted' }, startName(start)) : optionList(row.changes),
      ),
    ),
  );
}

function statusText(status: TrialStatus, view: AutotuneView): Child[] {
  const word = (text: string, reason?: string): Child[] => [
    h('span', { class: 'status-word' }, text),
    reason ? h('span', { class: 'status-reason muted' }, reason) : null,
  ];
  switch (status.kind) {
    case 'best':
      return word(view.phase === 'running' ? l10n.t('best so far') : l10n.t('best'));
    case 'kept':
      return word(l10n.t('kept'), l10n.t('then beaten by #{0}', status.beatenBy));
    case 'discarded':
      return word(l10n.t('discarded'), l10n.t('not above #{0} ({1})', status.against.index, fixed(status.against.macroF1)));
    case 'running':
      return word(l10n.t('training…'), status.folds ? l10n.t('fold {0} of {1}', status.fold ?? 1, status.folds) : undefined);
    case 'cancelled':
      return word(view.phase === 'failed' ? l10n.t('failed') : l10n.t('cancelled'));
    case 'skipped':
      return word(l10n.t('skipped'), l10n.t('no time left in the budget'));
    default: {
      const unexpected: never = status;
      return unexpected;
    }
  }
}

/** Which options the saved model uses and why, or how the run ended without one. */
function choice(view: AutotuneView, start: boolean): string {
  const trial = (index: number | undefined) => view.trials.find((t) => t.index === index);
  const first = trial(1);
  const best = trial(view.best);
  switch (view.phase) {
    case 'cancelled':
      return l10n.t('Cancelled: nothing was saved, and the previous model is unchanged.');
    case 'failed':
      return l10n.t('The search failed (see the Textcat log): nothing was saved, and the previous model is unchanged.');
    case 'running':
      if (view.finalStep === 'retrain') return l10n.t('Training the chosen options on every row…');
      if (view.finalStep === 'baseline') return l10n.t('Checking whether the linear baseline alone scores higher…');
      return best ? l10n.t('Best so far: #{0}, validation macro-F1 {1}.', best.index, fixed(best.validationMacroF1)) : '';
    case 'done':
      break;
    default: {
      const unexpected: never = view.phase;
      return unexpected;
    }
  }
  const record = view.record;
  if (!record || !best || !first) return '';
  const chosen =
    record.trials.length === 1
      ? l10n.t(
          'Only {0} were tried within the budget (validation macro-F1 {1}); the saved model uses them.',
          startName(start),
          fixed(best.validationMacroF1),
        )
      : best.index === 1
        ? l10n.t(
            '{0} scored best (validation macro-F1 {1}): no trial scored above them, so the saved model uses them.',
            capitalized(startName(start)),
            fixed(best.validationMacroF1),
          )
        : l10n.t(
            '#{0} scored best: validation macro-F1 {1} against {2} for {3}; the saved model uses its options.',
            best.index,
            fixed(best.validationMacroF1),
            fixed(first.validationMacroF1),
            startName(start),
          );
  return sentences(
    chosen,
    record.final === 'retrained' && l10n.t('They were trained again on every row after the search (each fold had held a part out).'),
    record.ngramOnly &&
      l10n.t('Its linear baseline scored higher on validation, so the saved model is the n-gram path alone (the baseline).'),
  );
}

/** The first letter in upper case (English; a language without case is left as it is). */
const capitalized = (text: string) => text.charAt(0).toLocaleUpperCase() + text.slice(1);
