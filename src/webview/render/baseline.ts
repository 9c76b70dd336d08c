// The yardstick beside the model's scores: the linear baseline trained in the same run on the same split, and a
// plain sentence when the model does not beat it. With a wide path the model is the LSTM plus the n-gram table,
// so three figures (model, LSTM alone, baseline), and a sentence when the model relies on the n-grams. textcat.json
// reaches the page unchecked: verdict.ts reads every score and weight.
import * as l10n from '@vscode/l10n';
import { baselineVerdict, lstmNote, type BaselineVerdict, type LstmNote } from '../../core/baseline/verdict';
import type { MetricsViewModel } from '../../protocol/webview';
import { h } from '../dom';
import { fixed } from '../format';

export function baselineComparison(model: MetricsViewModel): HTMLElement | null {
  const wide = model.combination !== undefined;
  const verdict = baselineVerdict(model.metrics, model.baseline, wide ? model.lstm : undefined);
  if (!verdict) return null;
  const where = verdict.set === 'test' ? l10n.t('test set') : l10n.t('validation set');
  const note = wide ? lstmNote(verdict, model.combination) : undefined;
  return h(
    'div',
    {
      class: 'baseline',
      attrs: { id: 'baseline', 'data-beats': verdict.beats ? 'true' : 'false', 'data-lstm-note': note?.reason },
    },
    wide
      ? scoreTable(verdict, where)
      : h(
          'p',
          { class: 'baseline-scores', attrs: { title: l10n.t('Macro-F1 on the {0}', where) } },
          l10n.t('Macro-F1 ({0}): LSTM {1} · baseline {2}', where, fixed(verdict.model), fixed(verdict.baseline)),
        ),
    // Weight 0 is said by the note below.
    wide && note?.reason !== 'unused' ? combinationLine(model.combination) : null,
    verdict.beats
      ? null
      : verdict.ties
        ? h('p', { class: 'muted baseline-tie' }, l10n.t('The model and the linear baseline score the same on the {0}.', where))
        : h(
            'p',
            { class: 'warning', attrs: { role: 'note' } },
            l10n.t(
              'The model does not beat the linear baseline (word and character n-grams) on the {0}. More examples per class usually help the LSTM most.',
              where,
            ),
          ),
    note ? noteLine(note) : null,
  );
}

/** Model, LSTM alone (when textcat.json has it) and baseline, one row each: a sentence of three figures wraps badly in the sidebar. */
function scoreTable(verdict: BaselineVerdict, where: string): HTMLElement {
  const row = (cls: string, name: string, value: number | undefined) =>
    value === undefined
      ? null
      : h('tr', { class: cls }, h('th', { attrs: { scope: 'row' } }, name), h('td', { class: 'num' }, fixed(value)));
  return h(
    'table',
    { class: 'data compact baseline-scores' },
    h('caption', null, l10n.t('Macro-F1 ({0})', where)),
    h(
      'tbody',
      null,
      row('score-model', l10n.t('Model (LSTM + n-grams)'), verdict.model),
      row('score-lstm', l10n.t('LSTM alone'), verdict.lstm),
      row('score-baseline', l10n.t('Baseline (n-grams)'), verdict.baseline),
    ),
  );
}

function combinationLine(combination: MetricsViewModel['combination']): HTMLElement | null {
  const { lstm, ngrams } = combination ?? {};
  if (typeof lstm !== 'number' || typeof ngrams !== 'number') return null;
  return h(
    'p',
    { class: 'muted baseline-combination' },
    l10n.t(
      'The model adds the LSTM’s logits × {0} and the n-gram table’s × {1} (weights fitted on the validation set).',
      fixed(lstm, 2),
      fixed(ngrams, 2),
    ),
  );
}

function noteLine(note: LstmNote): HTMLElement {
  return note.reason === 'unused'
    ? h(
        'p',
        { class: 'warning baseline-lstm-note', attrs: { role: 'note' } },
        l10n.t('The LSTM alone scores {0}; on this data the model relies on the n-gram path (LSTM weight 0).', fixed(note.lstm)),
      )
    : h(
        'p',
        { class: 'muted baseline-lstm-note' },
        l10n.t(
          'On its own the LSTM scores {0}, below the baseline (LSTM weight {1} in the model).',
          fixed(note.lstm),
          fixed(note.weight, 2),
        ),
      );
}
