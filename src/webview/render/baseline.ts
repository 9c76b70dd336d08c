// The yardstick beside the model's scores: the linear baseline trained in the same run on the same split, and a
// plain sentence when the model does not beat it.
import type { MetricsViewModel } from '../../protocol';
import { baselineVerdict } from '../../core/baseline/verdict';
import { h } from '../dom';
import { fixed } from '../format';

export function baselineComparison(model: MetricsViewModel): HTMLElement | null {
  const verdict = baselineVerdict(model.metrics, model.baseline);
  if (!verdict) return null;
  const where = `${verdict.set} set`;
  return h(
    'div',
    { class: 'baseline', attrs: { id: 'baseline', 'data-beats': verdict.beats ? 'true' : 'false' } },
    h(
      'p',
      { class: 'baseline-scores', attrs: { title: `Macro-F1 on the ${where}` } },
      `Macro-F1 (${where}): LSTM ${fixed(verdict.model)} · baseline ${fixed(verdict.baseline)}`,
    ),
    model.combination
      ? h(
          'p',
          { class: 'muted baseline-combination' },
          `The model adds the LSTM's logits × ${model.combination.lstm} and the n-gram table's × ${model.combination.ngrams} (weights fitted on the validation set).`,
        )
      : null,
    verdict.beats
      ? null
      : h(
          'p',
          { class: 'warning', attrs: { role: 'note' } },
          `The model does not beat the linear baseline (word and character n-grams) on the ${where}. More examples per class usually help the LSTM most.`,
        ),
  );
}
