// The model with a wide path is two classifiers trained apart on the same split and added in logit space: the
// LSTM (trained alone) and the linear baseline (the n-gram table, trained alone). Their weights in the sum are
// fitted on the validation split by log-loss, which is convex in them. Trained jointly instead (the wide path
// starting from the baseline), the LSTM overfitted in an epoch or two and banking77 lost three points of
// macro-F1 (.911 → .880); apart, the two make different mistakes and the sum beats both.
import type { Baseline } from './baseline';
import type { NetworkParams } from './model';

export interface Combination {
  /** Weight of the LSTM's logits. */
  lstm: number;
  /** Weight of the n-gram table's logits. */
  ngrams: number;
}

/** With no validation split there is nothing to fit on: the plain sum. */
export const PLAIN_SUM: Combination = { lstm: 1, ngrams: 1 };

/**
 * The weights (each in [0, 4], not both 0) that minimise the log-loss of softmax(lstm·a + ngrams·b) on the
 * validation rows, given each model's log-probabilities there ([n, K]): a grid in steps of 0.25, then in steps
 * of 0.05 around the best point. Ties go to the first point met (smaller LSTM weight, then smaller n-gram weight).
 */
export function fitCombination(lstmLogProbs: Float32Array, ngramLogProbs: Float32Array, truth: readonly number[], K: number): Combination {
  const loss = (c: Combination) => {
    let total = 0;
    const row = new Float64Array(K);
    for (let i = 0; i < truth.length; i++) {
      let max = -Infinity;
      for (let j = 0; j < K; j++) max = Math.max(max, (row[j] = c.lstm * lstmLogProbs[i * K + j] + c.ngrams * ngramLogProbs[i * K + j]));
      let sum = 0;
      for (let j = 0; j < K; j++) sum += Math.exp(row[j] - max);
      total += max + Math.log(sum) - row[truth[i]];
    }
    return total;
  };
  const search = (lstm: number[], ngrams: number[], best: { c: Combination; loss: number }) => {
    for (const a of lstm) {
      for (const b of ngrams) {
        if (a <= 0 && b <= 0) continue;
        const c = { lstm: a, ngrams: b };
        const l = loss(c);
        if (l < best.loss) best = { c, loss: l };
      }
    }
    return best;
  };
  const steps = (from: number, to: number, step: number) =>
    Array.from({ length: Math.round((to - from) / step) + 1 }, (_, i) => Math.round((from + i * step) * 100) / 100).filter(
      (x) => x >= 0 && x <= 4,
    );
  const coarse = search(steps(0, 4, 0.25), steps(0, 4, 0.25), { c: PLAIN_SUM, loss: loss(PLAIN_SUM) });
  const { lstm, ngrams } = coarse.c;
  return search(steps(lstm - 0.25, lstm + 0.25, 0.05), steps(ngrams - 0.25, ngrams + 0.25, 0.05), coarse).c;
}

/**
 * The combined model's weights: the LSTM's output layer scaled by `c.lstm`, the baseline's table (and bias, into
 * the output bias) by `c.ngrams`. `params` has the wide path (its table is overwritten).
 */
export function combinedParams(params: NetworkParams, baseline: Pick<Baseline, 'table' | 'bias'>, c: Combination): NetworkParams {
  const denseBias = params.denseBias.map((v, j) => c.lstm * v + c.ngrams * baseline.bias[j]);
  return {
    ...params,
    denseKernel: params.denseKernel.map((v) => c.lstm * v),
    denseBias,
    wide: { table: baseline.table.map((v) => c.ngrams * v), mask: params.wide!.mask },
  };
}
