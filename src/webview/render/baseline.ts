// The yardstick beside the model's scores: the linear baseline trained in the same run on the same split, and a
// plain sentence when the model does not beat it.
import * as l10n from '@vscode/l10n';
import { baselineVerdict } from '../../core/baseline/verdict';
import type { MetricsViewModel } from '../../protocol/webview';
import { h } from '../dom';
import { fixed } from '../format';

export function baselineComparison(model: MetricsViewModel): HTMLElement | null {
  const verdict = baselineVerdict(model.metrics, model.baseline);
  if (!verdict) return null;
  const where = verdict.set === 'test' ? l10n.t('test set') : l10n.t('validation set');
  return h(
    'div',
    { class: 'baseline', attrs: { id: 'baseline', 'data-beats': verdict.beats ? 'true' : 'false' } },
    h(
      'p',
      { class: 'baseline-scores', attrs: { title: l10n.t('Macro-F1 on the {0}', where) } },
      l10n.t('Macro-F1 ({0}): LSTM {1} · baseline {2}', where, fixed(verdict.model), fixed(verdict.baseline)),
    ),
    model.combination
      ? h(
          'p',
          { class: 'muted baseline-combination' },
          l10n.t(
            'The model adds the LSTM’s logits × {0} and the n-gram table’s × {1} (weights fitted on the validation set).',
            fixed(model.combination.lstm, 2),
            fixed(model.combination.ngrams, 2),
          ),
        )
      : null,
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
  );
}
