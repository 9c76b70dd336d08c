// Evaluation numbers for the sidebar, the CLI and the model folder. Every ratio with an empty
// denominator is 0 rather than NaN, because these go to JSON and charts that cannot show NaN.

import { givenClasses } from '../multiLabel';
import type { ClassMetrics, Metrics, MultiLabelScores, ReliabilityBin } from '../types';

/** Index of the largest of `k` values starting at `offset`; the first one wins a tie. */
export function argmax(row: ArrayLike<number>, offset = 0, k = row.length - offset): number {
  let best = 0;
  for (let j = 1; j < k; j++) {
    if (row[offset + j] > row[offset + best]) best = j;
  }
  return best;
}

/**
 * `probabilities` is row-major [truth.length, labels.length]; the prediction is its argmax.
 *
 * Macro F1 averages over the classes that occur in the truth or in the predictions, as sklearn does
 * by default: a label that is in the list but absent from this evaluation set says nothing about the
 * model, and counting it as F1 = 0 would punish a small validation split for being small.
 */
export function computeMetrics(
  labels: readonly string[],
  truth: ArrayLike<number>,
  probabilities: Float32Array | number[],
  bins = 10,
): Metrics {
  const k = labels.length;
  const n = truth.length;
  if (probabilities.length !== n * k) {
    throw new RangeError(`expected ${n}×${k} = ${n * k} probabilities, got ${probabilities.length}`);
  }
  const predicted = Array.from({ length: n }, (_, i) => argmax(probabilities, i * k, k));
  const confidence = predicted.map((p, i) => probabilities[i * k + p]);
  const confusion = confusionMatrix(k, truth, predicted);
  const perClass = labels.map((label, c) => classMetrics(label, c, confusion));
  const correct = predicted.filter((p, i) => p === truth[i]);
  const reliability = reliabilityBins(
    confidence,
    predicted.map((p, i) => p === truth[i]),
    bins,
  );
  return {
    accuracy: ratio(correct.length, n),
    macroF1: macroF1(perClass, confusion),
    weightedF1: ratio(sum(perClass.map((m) => m.f1 * m.support)), n),
    perClass,
    confusion,
    labels: [...labels],
    ece: expectedCalibrationError(reliability, n),
    reliability,
    count: n,
  };
}

/**
 * A multi-label model's metrics: `truth` is [n, K] multi-hot, `probabilities` [n, K] independent sigmoids, and a
 * row is given every class at or over its threshold (with `atLeastOneLabel`, its most probable class when none is:
 * multiLabel.ts, LabelRule). perClass, macro- and weighted-F1 are at the thresholds (macro
 * over the classes that occur in the truth or the predictions, as computeMetrics); `accuracy` is subset accuracy;
 * confusion[i][j] counts rows with true label i that were given label j (co-occurrence: the diagonal holds the
 * true positives). Calibration reads each (row, class) sigmoid as a probability that the label applies: binned on
 * it, a bin's "accuracy" is the share of those pairs that have the label.
 */
export function computeMultiLabelMetrics(
  labels: readonly string[],
  truth: ArrayLike<number>,
  probabilities: Float32Array | number[],
  thresholds: readonly number[],
  { atLeastOneLabel = false, bins = 10 }: { atLeastOneLabel?: boolean; bins?: number } = {},
): Metrics {
  const k = labels.length;
  const n = truth.length / k;
  if (!Number.isInteger(n) || probabilities.length !== truth.length || thresholds.length !== k) {
    throw new RangeError(
      `expected ${k} thresholds and [n×${k}] truth and probabilities, got ${thresholds.length}, ${truth.length}, ${probabilities.length}`,
    );
  }
  const tp = new Array<number>(k).fill(0);
  const missed = new Array<number>(k).fill(0);
  const falseAlarms = new Array<number>(k).fill(0);
  const confusion = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  let exact = 0;
  let wrongDecisions = 0;
  let samplesF1 = 0;
  for (let i = 0; i < n; i++) {
    const given = new Array<boolean>(k).fill(false);
    for (const j of givenClasses(probabilities, i, { thresholds, atLeastOneLabel })) given[j] = true;
    const has = thresholds.map((_, j) => truth[i * k + j] === 1);
    let both = 0;
    let sizes = 0;
    for (let j = 0; j < k; j++) {
      if (given[j] && has[j]) tp[j]++;
      else if (has[j]) missed[j]++;
      else if (given[j]) falseAlarms[j]++;
      if (given[j] !== has[j]) wrongDecisions++;
      both += given[j] && has[j] ? 1 : 0;
      sizes += (given[j] ? 1 : 0) + (has[j] ? 1 : 0);
      if (has[j]) for (let c = 0; c < k; c++) if (given[c]) confusion[j][c]++;
    }
    if (both * 2 === sizes) exact++;
    samplesF1 += sizes === 0 ? 1 : (2 * both) / sizes;
  }
  const perClass = labels.map((label, c): ClassMetrics => {
    const precision = ratio(tp[c], tp[c] + falseAlarms[c]);
    const recall = ratio(tp[c], tp[c] + missed[c]);
    return { label, precision, recall, f1: ratio(2 * precision * recall, precision + recall), support: tp[c] + missed[c] };
  });
  const seen = perClass.filter((m, c) => m.support > 0 || falseAlarms[c] > 0);
  const [allTp, allMissed, allFalse] = [sum(tp), sum(missed), sum(falseAlarms)];
  const multiLabel: MultiLabelScores = {
    microF1: ratio(2 * allTp, 2 * allTp + allMissed + allFalse),
    samplesF1: ratio(samplesF1, n),
    subsetAccuracy: ratio(exact, n),
    hammingLoss: ratio(wrongDecisions, n * k),
    thresholds: [...thresholds],
    missed,
    falseAlarms,
  };
  const reliability = reliabilityBins(
    Array.from(probabilities),
    Array.from(truth, (t) => t === 1),
    bins,
  );
  return {
    accuracy: multiLabel.subsetAccuracy,
    macroF1: ratio(sum(seen.map((m) => m.f1)), seen.length),
    weightedF1: ratio(sum(perClass.map((m) => m.f1 * m.support)), sum(perClass.map((m) => m.support))),
    perClass,
    confusion,
    labels: [...labels],
    ece: expectedCalibrationError(reliability, n * k),
    reliability,
    count: n,
    multiLabel,
  };
}

function confusionMatrix(k: number, truth: ArrayLike<number>, predicted: number[]): number[][] {
  const confusion = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  predicted.forEach((p, i) => {
    const t = truth[i];
    if (!Number.isInteger(t) || t < 0 || t >= k) throw new RangeError(`truth[${i}] = ${t} is not a class index`);
    confusion[t][p]++;
  });
  return confusion;
}

function classMetrics(label: string, c: number, confusion: number[][]): ClassMetrics {
  const truePositives = confusion[c][c];
  const support = sum(confusion[c]);
  const predictedCount = timesPredicted(c, confusion);
  const precision = ratio(truePositives, predictedCount);
  const recall = ratio(truePositives, support);
  const f1 = ratio(2 * precision * recall, precision + recall);
  return { label, precision, recall, f1, support };
}

function macroF1(perClass: ClassMetrics[], confusion: number[][]): number {
  const seen = perClass.filter((m, c) => m.support > 0 || timesPredicted(c, confusion) > 0);
  return ratio(sum(seen.map((m) => m.f1)), seen.length);
}

/**
 * Equal-width bins on the confidence of the predicted class. Bin b holds [b/B, (b+1)/B), the last one
 * also holds 1.0. Every bin is returned, empty ones with zeros, so a chart has a fixed axis.
 */
function reliabilityBins(confidence: number[], correct: boolean[], bins: number): ReliabilityBin[] {
  const count = new Array<number>(bins).fill(0);
  const confidenceSum = new Array<number>(bins).fill(0);
  const correctCount = new Array<number>(bins).fill(0);
  confidence.forEach((p, i) => {
    const b = Math.min(bins - 1, Math.max(0, Math.floor(p * bins)));
    count[b]++;
    confidenceSum[b] += p;
    if (correct[i]) correctCount[b]++;
  });
  return count.map((m, b) => ({
    upper: (b + 1) / bins,
    count: m,
    meanConfidence: ratio(confidenceSum[b], m),
    accuracy: ratio(correctCount[b], m),
  }));
}

/** ECE = Σ_b (count_b / n) · |accuracy_b − confidence_b|. */
function expectedCalibrationError(reliability: ReliabilityBin[], n: number): number {
  return sum(reliability.map((bin) => ratio(bin.count, n) * Math.abs(bin.accuracy - bin.meanConfidence)));
}

function timesPredicted(c: number, confusion: number[][]): number {
  return sum(confusion.map((row) => row[c]));
}

function ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : numerator / denominator;
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
