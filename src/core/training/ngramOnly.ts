// A trained model's n-gram path alone, as a model: the LSTM + n-grams combination with LSTM weight 0 (combine.ts),
// whose logits are exactly its linear baseline's. Autotune saves it when the baseline beats the combined model on
// validation, so that a saved model is never below its own baseline there. train() keeps only the baseline's
// scores, not its weights, so they are trained again here from the same rows with the same seed: the split, the
// tokens and the n-gram vocabulary are those train() built (the model's own tokenizer, and its n-gram vocabulary
// when it has a wide path), and trainBaseline is deterministic. Should train.ts ever build them differently, the
// result is still measured on the same validation rows before anyone keeps it (autotune.ts).
import { trainBaseline } from '../baseline';
import { combinedParams } from './combine';
import { stratifiedSplit } from '../data/split';
import { computeMetrics } from '../evaluation/metrics';
import { wideMask } from '../model';
import { DEFAULT_OPTIONS } from '../options';
import { predictTexts, type Classifier } from '../predict';
import { NgramVocabulary } from '../text/ngrams';
import { evaluate, type TrainResult } from './train';
import { CancelledError, type Example, type Metrics } from '../types';

export const NGRAMS_ONLY = { lstm: 0, ngrams: 1 } as const;

/**
 * `result` (trained on `examples`) with its LSTM weighed 0 and the baseline's table as its wide path, scored again
 * on the same validation rows and on `test`. The LSTM's own weights stay in the file (the format needs them), and
 * its scores alone stay in `lstm`, so a reader sees what it would have added.
 */
export async function ngramOnlyResult(
  examples: readonly Example[],
  result: TrainResult,
  test?: readonly Example[],
  signal?: { readonly aborted: boolean },
): Promise<TrainResult> {
  const { options, labels, tokenizer } = result;
  const classOf = new Map(labels.map((label, i) => [label, i]));
  const targets = examples.map((e) => classOf.get(e.label)!);
  const split = stratifiedSplit(targets, options.validationSplit, options.seed);
  const tokens = examples.map((e) => tokenizer.modelTokens(e.text));
  const wideNgrams = options.wideNgrams || DEFAULT_OPTIONS.wideNgrams;
  const ngrams =
    tokenizer.ngrams ??
    NgramVocabulary.fit(
      split.train.map((i) => tokens[i]),
      wideNgrams,
    );
  const baseline = await trainBaseline({
    lines: tokens.map((t) => ngrams.encodeIds(t)),
    targets,
    split,
    labels,
    rows: ngrams.rows,
    seed: options.seed,
    beforeEpoch: async () => {
      await new Promise((resolve) => setImmediate(resolve));
      if (signal?.aborted) throw new CancelledError('autotune cancelled');
    },
  });
  const withWidePath = { ...result.params, wide: { table: new Float32Array(0), mask: wideMask(ngrams.rows) } };
  const model: Classifier = {
    labels,
    tokenizer: tokenizer.withNgrams(ngrams),
    shape: { ...result.shape, ngramRows: ngrams.rows },
    params: combinedParams(withWidePath, baseline, NGRAMS_ONLY),
    options: { ...options, wideNgrams },
  };
  const validation = scoreValidation(model, result.validationExamples, classOf);
  const lstm = result.lstm ?? {
    // Without a wide path the model was the LSTM alone: its scores are the LSTM's.
    ...(result.validation ? { validation: scorePair(result.validation) } : {}),
    ...(result.test ? { test: scorePair(result.test) } : {}),
  };
  return {
    ...result,
    ...model,
    validation: validation.metrics,
    validationPredictions: validation.predicted,
    test: test?.length ? (await evaluate(model, test)).metrics : undefined,
    combination: { ...NGRAMS_ONLY },
    lstm,
  };
}

function scoreValidation(model: Classifier, rows: readonly Example[], classOf: ReadonlyMap<string, number>) {
  const K = model.labels.length;
  const probabilities = predictTexts(
    model,
    rows.map((e) => e.text),
  );
  const predicted = rows.map((_, i) => {
    let best = 0;
    for (let k = 1; k < K; k++) if (probabilities[i * K + k] > probabilities[i * K + best]) best = k;
    return best;
  });
  const metrics = computeMetrics(
    model.labels,
    rows.map((e) => classOf.get(e.label)!),
    probabilities,
  );
  return { metrics, predicted };
}

const scorePair = (m: Metrics) => ({ accuracy: m.accuracy, macroF1: m.macroF1 });
