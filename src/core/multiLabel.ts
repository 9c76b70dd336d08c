// Multi-label pieces shared by training, evaluation and prediction: the label set, multi-hot targets ([n, K] of
// 0 and 1, row-major, as the network reads them), the split's stratification key, the loss, the per-class
// thresholds tuned on the validation split, and the label sets a model's sigmoids give.
import type { Example } from './types';

/** Every label of any row, in code-point order (as labelSet orders single-label classes). */
export function multiLabelSet(examples: readonly Example[]): string[] {
  return [...new Set(examples.flatMap((e) => labelsOf(e)))].sort();
}

/** A row's labels: `labels` in a multi-label dataset; a single-label row read by a multi-label model has its one label. */
export function labelsOf(example: Example): readonly string[] {
  return example.labels ?? [example.label];
}

/** [n, K] multi-hot rows; a label not in `labels` sets nothing. */
export function multiHot(examples: readonly Example[], labels: readonly string[]): number[] {
  const K = labels.length;
  const classOf = new Map(labels.map((l, i) => [l, i]));
  const out = new Array<number>(examples.length * K).fill(0);
  examples.forEach((e, i) => {
    for (const label of labelsOf(e)) {
      const c = classOf.get(label);
      if (c !== undefined) out[i * K + c] = 1;
    }
  });
  return out;
}

/**
 * What the train/validation split stratifies on: each row's rarest label (fewest rows in the whole set; ties to
 * the lower index), or K for a row with none. Every label then reaches validation in about its share even when
 * it mostly appears beside common ones, which stratifying on the first or most common label would not ensure.
 */
export function rarestLabelKeys(targets: readonly number[], K: number): number[] {
  const n = targets.length / K;
  const counts = new Array<number>(K).fill(0);
  for (let i = 0; i < targets.length; i++) counts[i % K] += targets[i];
  return Array.from({ length: n }, (_, i) => {
    let key = K;
    for (let j = 0; j < K; j++) if (targets[i * K + j] && (key === K || counts[j] < counts[key])) key = j;
    return key;
  });
}

/** The multi-hot rows of `rows`, back to back ([rows.length, K]). */
export function rowsOf(targets: readonly number[], rows: readonly number[], K: number): number[] {
  // A loop into one array: flatMap over slices cost 2 s of a GoEmotions run (a batch of 32 rows, every step).
  const out = new Array<number>(rows.length * K);
  for (let i = 0; i < rows.length; i++) for (let j = 0; j < K; j++) out[i * K + j] = targets[rows[i] * K + j];
  return out;
}

/** Binary cross-entropy summed over the classes, averaged over rows: the loss training minimises. */
export function binaryCrossEntropy(probabilities: ArrayLike<number>, targets: ArrayLike<number>, K: number): number {
  let loss = 0;
  for (let i = 0; i < targets.length; i++) {
    const p = probabilities[i];
    loss -= targets[i] ? Math.log(Math.max(p, 1e-7)) : Math.log(Math.max(1 - p, 1e-7));
  }
  return loss / Math.max(1, targets.length / K);
}

/** Rows whose labels at `thresholds` are exactly their true ones. */
export function subsetCorrect(probabilities: ArrayLike<number>, targets: ArrayLike<number>, thresholds: readonly number[]): number {
  const K = thresholds.length;
  let correct = 0;
  for (let i = 0; i < targets.length; i += K) {
    let same = true;
    for (let j = 0; j < K && same; j++) same = probabilities[i + j] >= thresholds[j] === (targets[i + j] === 1);
    if (same) correct++;
  }
  return correct;
}

/** Where a class with no validation positive (nothing to tune on) and a class of an untuned model stand. */
export const DEFAULT_THRESHOLD = 0.5;
/** Candidate thresholds: 0.01 … 0.99, coarse enough not to chase single validation rows. */
const CANDIDATES = Array.from({ length: 99 }, (_, i) => (i + 1) / 100);

export interface TunedThresholds {
  thresholds: number[];
  /** Classes that, at their threshold, are given to no validation row (they would likely never be predicted). */
  neverPredicted: number[];
}

/**
 * Per class, the candidate threshold with the best F1 on the validation rows (ties: the one nearest 0.5). A class
 * with no validation positive keeps 0.5. When no candidate gives a true positive (every positive scored under
 * 0.01), the threshold is the best-scored positive's probability, so the class is still predicted on validation
 * rather than set where it never can be; a class given to no row even so is listed in `neverPredicted`.
 */
export function tuneThresholds(probabilities: ArrayLike<number>, targets: ArrayLike<number>, K: number): TunedThresholds {
  const n = targets.length / K;
  const thresholds: number[] = [];
  const neverPredicted: number[] = [];
  for (let j = 0; j < K; j++) {
    const scores: number[] = [];
    const positives: number[] = [];
    for (let i = 0; i < n; i++) {
      scores.push(probabilities[i * K + j]);
      if (targets[i * K + j]) positives.push(probabilities[i * K + j]);
    }
    let threshold = DEFAULT_THRESHOLD;
    if (positives.length > 0) {
      let best = { f1: 0, threshold: Math.min(1 - 1e-6, Math.max(1e-6, Math.max(...positives))) };
      for (const t of CANDIDATES) {
        const tp = positives.filter((p) => p >= t).length;
        const predicted = scores.filter((p) => p >= t).length;
        const f1 = tp === 0 ? 0 : (2 * tp) / (predicted + positives.length);
        const better = f1 > best.f1 || (f1 === best.f1 && f1 > 0 && Math.abs(t - 0.5) < Math.abs(best.threshold - 0.5));
        if (better) best = { f1, threshold: t };
      }
      threshold = best.threshold;
    }
    thresholds.push(threshold);
    if (n > 0 && !scores.some((p) => p >= threshold)) neverPredicted.push(j);
  }
  return { thresholds, neverPredicted };
}

/** Classes at or over their threshold in row `row` of [n, K] probabilities, most probable first (ties: label order). */
export function classesOver(probabilities: ArrayLike<number>, row: number, thresholds: readonly number[]): number[] {
  const K = thresholds.length;
  const over: number[] = [];
  for (let j = 0; j < K; j++) if (probabilities[row * K + j] >= thresholds[j]) over.push(j);
  return over.sort((a, b) => probabilities[row * K + b] - probabilities[row * K + a] || a - b);
}

/** How a multi-label model turns a row's sigmoids into its labels. */
export interface LabelRule {
  /** Each class's probability threshold, in label order. */
  thresholds: readonly number[];
  /**
   * Every training row had at least one label, so a row none of whose classes reaches its threshold is given its
   * most probable class rather than none (absent or false: it is given none).
   */
  atLeastOneLabel?: boolean;
}

/** The classes `rule` gives row `row` of [n, K] probabilities, most probable first (classesOver, then the fallback). */
export function givenClasses(probabilities: ArrayLike<number>, row: number, rule: LabelRule): number[] {
  const over = classesOver(probabilities, row, rule.thresholds);
  if (over.length > 0 || !rule.atLeastOneLabel) return over;
  const K = rule.thresholds.length;
  let top = 0;
  for (let j = 1; j < K; j++) if (probabilities[row * K + j] > probabilities[row * K + top]) top = j;
  return [top];
}

/** Whether every row has at least one label: what a model learns for LabelRule.atLeastOneLabel. */
export function everyRowLabeled(targets: ArrayLike<number>, K: number): boolean {
  for (let i = 0; i < targets.length; i += K) {
    let any = false;
    for (let j = 0; j < K && !any; j++) any = targets[i + j] === 1;
    if (!any) return false;
  }
  return targets.length > 0;
}

/** Coordinate-ascent rounds over the classes; a third moved no GoEmotions threshold. */
const BALANCE_ROUNDS = 2;

/**
 * The thresholds a multi-label model labels with: tuneThresholds' (each class's own best F1), then moved one class
 * at a time, over the same candidates, wherever that raises micro-F1 + macro-F1 on the validation rows under `rule`'s
 * fallback (strict gains only, BALANCE_ROUNDS rounds). Per-class F1 alone sets a hard class's threshold low (its best
 * F1 is low, and so is the threshold that reaches it), which costs micro-F1 many false alarms; one threshold for
 * every class serves micro-F1 and starves the rare classes macro-F1 counts. GoEmotions, seed 1, test set: per-class
 * .533 micro / .426 macro, one threshold .547 / .358, this .541 / .422. Classes never given are listed as by
 * tuneThresholds.
 */
export function balanceThresholds(
  probabilities: ArrayLike<number>,
  targets: ArrayLike<number>,
  K: number,
  atLeastOneLabel: boolean,
): TunedThresholds {
  const n = targets.length / K;
  const thresholds = tuneThresholds(probabilities, targets, K).thresholds;
  if (n > 0) {
    let best = microPlusMacroF1(probabilities, targets, { thresholds, atLeastOneLabel });
    for (let round = 0; round < BALANCE_ROUNDS; round++) {
      let moved = false;
      for (let j = 0; j < K; j++) {
        const values = objectiveAlong(probabilities, targets, thresholds, j, atLeastOneLabel);
        let choice = thresholds[j];
        CANDIDATES.forEach((t, c) => {
          if (values[c] > best + 1e-12) [best, choice, moved] = [values[c], t, true];
        });
        thresholds[j] = choice;
      }
      if (!moved) break;
    }
  }
  const given = new Uint8Array(K);
  for (let i = 0; i < n; i++) for (const j of givenClasses(probabilities, i, { thresholds, atLeastOneLabel })) given[j] = 1;
  const neverPredicted = n > 0 ? [...given.keys()].filter((j) => !given[j]) : [];
  return { thresholds, neverPredicted };
}

/**
 * microPlusMacroF1 for every candidate threshold of class `j`, the other thresholds as given: the same value, bit for
 * bit (the counts are whole numbers, exact in any order, and go through the same sums), in O(n) per candidate
 * instead of O(n·K). Only class j's own count and, for rows where no other class is over its threshold, the
 * fallback's class depend on j's threshold; the rest is counted once.
 */
function objectiveAlong(
  probabilities: ArrayLike<number>,
  targets: ArrayLike<number>,
  thresholds: readonly number[],
  j: number,
  atLeastOneLabel: boolean,
): number[] {
  const K = thresholds.length;
  const n = targets.length / K;
  const tp = new Float64Array(K);
  const predicted = new Float64Array(K);
  const actual = new Float64Array(K);
  // Per row: class j's probability, and the fallback's class when no other class is over its threshold (−1 when one is).
  const pj = new Float64Array(n);
  const fallback = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const row = i * K;
    let othersOver = false;
    let top = 0;
    for (let k = 0; k < K; k++) {
      const p = probabilities[row + k];
      if (targets[row + k] === 1) actual[k]++;
      if (p > probabilities[row + top]) top = k;
      if (k !== j && p >= thresholds[k]) {
        othersOver = true;
        predicted[k]++;
        if (targets[row + k] === 1) tp[k]++;
      }
    }
    pj[i] = probabilities[row + j];
    fallback[i] = othersOver || !atLeastOneLabel ? -1 : top;
  }
  const [tpWith, predictedWith] = [new Float64Array(K), new Float64Array(K)];
  return CANDIDATES.map((t) => {
    tpWith.set(tp);
    predictedWith.set(predicted);
    for (let i = 0; i < n; i++) {
      const given = pj[i] >= t ? j : fallback[i];
      if (given < 0) continue;
      predictedWith[given]++;
      if (targets[i * K + given] === 1) tpWith[given]++;
    }
    return f1Sum(tpWith, predictedWith, actual);
  });
}

/**
 * Micro-F1 + macro-F1 of the labels `rule` gives [n, K] `probabilities` against multi-hot `targets`, macro over the
 * classes that occur in either (as computeMultiLabelMetrics counts them), without its allocations: the ascent
 * above calls it thousands of times.
 */
export function microPlusMacroF1(probabilities: ArrayLike<number>, targets: ArrayLike<number>, rule: LabelRule): number {
  const { thresholds, atLeastOneLabel } = rule;
  const K = thresholds.length;
  const tp = new Float64Array(K);
  const predicted = new Float64Array(K);
  const actual = new Float64Array(K);
  for (let row = 0; row < targets.length; row += K) {
    let any = false;
    let top = 0;
    for (let j = 0; j < K; j++) {
      const p = probabilities[row + j];
      const yes = targets[row + j] === 1;
      if (yes) actual[j]++;
      if (p > probabilities[row + top]) top = j;
      if (p >= thresholds[j]) {
        any = true;
        predicted[j]++;
        if (yes) tp[j]++;
      }
    }
    if (!any && atLeastOneLabel) {
      predicted[top]++;
      if (targets[row + top] === 1) tp[top]++;
    }
  }
  return f1Sum(tp, predicted, actual);
}

/** Micro-F1 + macro-F1 from per-class counts (macro over the classes that occur in either). */
function f1Sum(tp: Float64Array, predicted: Float64Array, actual: Float64Array): number {
  let [allTp, allPredicted, allActual, macroSum, seen] = [0, 0, 0, 0, 0];
  for (let j = 0; j < tp.length; j++) {
    allTp += tp[j];
    allPredicted += predicted[j];
    allActual += actual[j];
    if (predicted[j] + actual[j] === 0) continue;
    seen++;
    macroSum += (2 * tp[j]) / (predicted[j] + actual[j]);
  }
  const micro = allPredicted + allActual === 0 ? 0 : (2 * allTp) / (allPredicted + allActual);
  return micro + (seen === 0 ? 0 : macroSum / seen);
}
