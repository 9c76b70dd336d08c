// The model with a wide path is two classifiers trained apart on the same split and added in logit space: the
// LSTM (trained alone) and the linear baseline (the n-gram table, trained alone). Their weights in the sum are
// fitted on the validation split by log-loss, which is convex in them. Trained jointly instead (the wide path
// starting from the baseline), the LSTM overfitted in an epoch or two and banking77 lost three points of
// macro-F1 (.911 → .880); apart, the two make different mistakes and the sum beats both.
import type { Baseline } from '../baseline';
import type { NetworkParams } from '../model';

export interface Combination {
  /** Weight of the LSTM's logits. */
  lstm: number;
  /** Weight of the n-gram table's logits. */
  ngrams: number;
}

/** With no validation split there is nothing to fit on: the two models weigh the same. */
export const EVEN: Combination = { lstm: 0.5, ngrams: 0.5 };

/** Grid steps per unit of weight. */
const STEPS = 20;

/**
 * The weights that minimise the log-loss of softmax(lstm·a + ngrams·b) on the validation rows, given each
 * model's log-probabilities there ([n, K]), on a grid of step 0.05 with a, b ≥ 0 and a + b ≤ 1: a log-linear
 * pool, never surer than its members. Without that bound a validation split both models get right pushed the
 * weights to the grid's edge and every prediction to a probability of exactly 1. Ties go to the even split
 * (0.5/0.5, where the search starts), then to the first point met (smaller LSTM weight, then smaller n-gram weight).
 */
export function fitCombination(lstmLogProbs: Float32Array, ngramLogProbs: Float32Array, truth: readonly number[], K: number): Combination {
  const row = new Float64Array(K);
  return searchGrid((c: Combination) => {
    let total = 0;
    for (let i = 0; i < truth.length; i++) {
      let max = -Infinity;
      for (let j = 0; j < K; j++) max = Math.max(max, (row[j] = c.lstm * lstmLogProbs[i * K + j] + c.ngrams * ngramLogProbs[i * K + j]));
      let sum = 0;
      for (let j = 0; j < K; j++) sum += Math.exp(row[j] - max);
      total += max + Math.log(sum) - row[truth[i]];
    }
    return total;
  });
}

/**
 * fitCombination for a multi-label model: the weights that minimise the binary cross-entropy of
 * sigmoid(lstm·a + ngrams·b) against the multi-hot `truth` ([n, K]), given each model's logits there ([n, K]);
 * same grid, bound and tie rule. Sigmoid logits add like softmax ones, so combinedParams serves both.
 */
export function fitMultiLabelCombination(lstmLogits: Float32Array, ngramLogits: Float32Array, truth: readonly number[]): Combination {
  return searchGrid((c: Combination) => {
    let total = 0;
    for (let i = 0; i < truth.length; i++) {
      const z = c.lstm * lstmLogits[i] + c.ngrams * ngramLogits[i];
      // −log σ(z) = softplus(−z), −log(1 − σ(z)) = softplus(z), computed without overflow.
      const signed = truth[i] ? -z : z;
      total += Math.max(signed, 0) + Math.log1p(Math.exp(-Math.abs(signed)));
    }
    return total;
  });
}

/** The grid point of least `loss`, starting from the even split. */
function searchGrid(loss: (c: Combination) => number): Combination {
  let best = { c: EVEN, loss: loss(EVEN) };
  for (let i = 0; i <= STEPS; i++) {
    for (let j = 0; i + j <= STEPS; j++) {
      if (i + j === 0) continue;
      const c = { lstm: i / STEPS, ngrams: j / STEPS };
      const l = loss(c);
      if (l < best.loss) best = { c, loss: l };
    }
  }
  return best.c;
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
