// A classifier scored on labeled examples, as `eval`, training's test set and the LSTM-alone figures do it.
// Labels the model never saw count against it: single-label, each is a class of its own that is never predicted;
// multi-label, each is a class that is never given, so it is missed wherever it occurs.
import { computeMetrics, computeMultiLabelMetrics } from './metrics';
import { DEFAULT_THRESHOLD, labelsOf, multiHot } from '../multiLabel';
import { localPredictor, type Classifier, type TextPredictor } from '../predict';
import type { EncodedLine } from '../text/tokenizer';
import type { Example, Metrics } from '../types';

/**
 * Metrics on labeled examples; examples whose label the model never saw count as wrong (a class of their own).
 * `lines`: the examples already encoded by the model's tokenizer (training has their tokens), else encoded here.
 */
export async function evaluate(
  model: Classifier,
  examples: readonly Example[],
  predict = localPredictor(model),
  lines: readonly EncodedLine[] = examples.map((e) => model.tokenizer.encodeLine(e.text)),
): Promise<{ metrics: Metrics; unknownLabels: string[] }> {
  const probabilities = await predict(lines, model.tokenizer.config.maxLength);
  return evaluateProbabilities(model, examples, probabilities);
}

/** evaluate with a text predictor, which tokenizes as it predicts (a pool's threads each their own share). */
export async function evaluateTexts(
  model: Classifier,
  examples: readonly Example[],
  predict: TextPredictor,
): Promise<{ metrics: Metrics; unknownLabels: string[] }> {
  return evaluateProbabilities(model, examples, await predict(examples.map((e) => e.text)));
}

/** evaluate, given the model's probabilities for the examples ([n, model.labels.length]). */
function evaluateProbabilities(
  model: Classifier,
  examples: readonly Example[],
  known: Float32Array,
): { metrics: Metrics; unknownLabels: string[] } {
  const multiLabel = model.shape.multiLabel === true;
  const given = multiLabel ? examples.flatMap((e) => labelsOf(e)) : examples.map((e) => e.label);
  const unknown = [...new Set(given.filter((l) => !model.labels.includes(l)))].sort();
  const labels = [...model.labels, ...unknown];
  const classOf = new Map(labels.map((l, i) => [l, i]));
  const K = labels.length;
  const probabilities = new Float32Array(examples.length * K);
  for (let i = 0; i < examples.length; i++) {
    probabilities.set(known.subarray(i * model.labels.length, (i + 1) * model.labels.length), i * K);
  }
  if (multiLabel) {
    const thresholds = [...(model.thresholds ?? model.labels.map(() => DEFAULT_THRESHOLD)), ...unknown.map(() => DEFAULT_THRESHOLD)];
    const metrics = computeMultiLabelMetrics(labels, multiHot(examples, labels), probabilities, thresholds, {
      atLeastOneLabel: model.atLeastOneLabel === true,
    });
    return { metrics, unknownLabels: unknown };
  }
  return {
    metrics: computeMetrics(
      labels,
      examples.map((e) => classOf.get(e.label)!),
      probabilities,
    ),
    unknownLabels: unknown,
  };
}
