// What training does differently for a multi-label dataset, in one object train.ts asks at each point where the two
// kinds differ: multi-hot targets, the split's key, subset accuracy while training, binary cross-entropy and
// tuned thresholds on validation, the LSTM-alone figures and the test set at those thresholds, and the notes a
// user should read. The single-label path in train.ts does not go through here, so it stays as it was.
import type { SplitScores } from '../baseline/verdict';
import { evaluate } from '../evaluation/evaluate';
import { computeMultiLabelMetrics } from '../evaluation/metrics';
import {
  balanceThresholds,
  binaryCrossEntropy,
  DEFAULT_THRESHOLD,
  everyRowLabeled,
  givenClasses,
  multiHot,
  multiLabelSet,
  rarestLabelKeys,
  rowsOf,
  subsetCorrect,
  tuneThresholds,
  type TunedThresholds,
} from '../multiLabel';
import type { TrainOptions } from '../options';
import { argmax } from '../evaluation/metrics';
import type { Classifier, SequencePredictor } from '../predict';
import type { NgramVocabulary } from '../text/ngrams';
import type { Tokenizer } from '../text/tokenizer';
import type { Example, Metrics } from '../types';

export class MultiLabelTargets {
  readonly labels: string[];
  /** [examples, K] multi-hot. */
  readonly targets: number[];
  /** Every training row has a label, so the model gives each line at least one (LabelRule in multiLabel.ts). */
  readonly atLeastOneLabel: boolean;
  private readonly K: number;

  constructor(examples: readonly Example[]) {
    this.labels = multiLabelSet(examples);
    this.K = this.labels.length;
    this.targets = multiHot(examples, this.labels);
    this.atLeastOneLabel = everyRowLabeled(this.targets, this.K);
  }

  /** The split stratifies on each row's rarest label (multiLabel.ts says why). */
  splitKeys(): number[] {
    return rarestLabelKeys(this.targets, this.K);
  }

  /**
   * Every row weighs the same: classWeights 'balanced' (inverse class frequency) has no one class per row to
   * read; warnings() says so when it was asked for.
   */
  weights(): number[] {
    return new Array<number>(this.targets.length / this.K).fill(1);
  }

  /** The multi-hot rows of these examples, back to back. */
  rows(indices: readonly number[]): number[] {
    return rowsOf(this.targets, indices, this.K);
  }

  /** Training rows whose label set at 0.5 is exactly right (thresholds are tuned only once training ends). */
  correctAtHalf(probabilities: ArrayLike<number>, rowTargets: readonly number[]): number {
    return subsetCorrect(probabilities, rowTargets, this.untuned().thresholds);
  }

  /** An epoch's validation: its loss (what early stopping watches) and metrics at thresholds tuned on it. */
  evaluate(probabilities: Float32Array, validation: readonly number[]): { loss: number; metrics: Metrics } {
    const truth = this.rows(validation);
    const { thresholds } = tuneThresholds(probabilities, truth, this.K);
    return {
      loss: binaryCrossEntropy(probabilities, truth, this.K),
      metrics: computeMultiLabelMetrics(this.labels, truth, probabilities, thresholds, this.rule()),
    };
  }

  /**
   * A model's thresholds (balanceThresholds: per-class F1, then micro- plus macro-F1 under the fallback). An epoch's
   * figures above use per-class F1 alone: they only report, and the ascent costs seconds on a large split.
   */
  tune(probabilities: Float32Array, validation: readonly number[]): TunedThresholds {
    return balanceThresholds(probabilities, this.rows(validation), this.K, this.atLeastOneLabel);
  }

  /** Without a validation split: 0.5 each, nothing known to be never given. */
  untuned(): TunedThresholds {
    return { thresholds: this.labels.map(() => DEFAULT_THRESHOLD), neverPredicted: [] };
  }

  /** What a Classifier (and the metrics) carry beside the thresholds: the fallback, only when it applies. */
  rule(): { atLeastOneLabel?: true } {
    return this.atLeastOneLabel ? { atLeastOneLabel: true } : {};
  }

  /** Each probability's log-odds, the sigmoid's input, for fitting the LSTM and n-gram combination. */
  logits(probabilities: Float32Array): Float32Array {
    return probabilities.map((p) => Math.log(Math.max(p, 1e-7)) - Math.log(Math.max(1 - p, 1e-7)));
  }

  /** The final model's validation metrics, each row's top class and its label set. */
  validationResult(
    probabilities: Float32Array,
    validation: readonly number[],
    tuned: TunedThresholds,
  ): { validation: Metrics; validationPredictions: number[]; validationLabelSets: number[][] } {
    return {
      validation: computeMultiLabelMetrics(this.labels, this.rows(validation), probabilities, tuned.thresholds, this.rule()),
      validationPredictions: validation.map((_, i) => argmax(probabilities, i * this.K, this.K)),
      validationLabelSets: validation.map((_, i) => givenClasses(probabilities, i, { thresholds: tuned.thresholds, ...this.rule() })),
    };
  }

  /** Notes for the result: classes no validation row is given at their threshold, class weights not applied. */
  warnings(tuned: TunedThresholds, options: TrainOptions): { warnings?: string[] } {
    const warnings = tuned.neverPredicted.map(
      (c) =>
        `label "${this.labels[c]}" is given to no validation row at its threshold ${tuned.thresholds[c].toFixed(2)}: the model will rarely or never predict it (add examples of it)`,
    );
    if (options.classWeights === 'balanced')
      warnings.push('classWeights "balanced" is not applied to multi-label training: every row weighs the same');
    return warnings.length ? { warnings } : {};
  }

  /** The test set as the baseline reads it: multi-hot over the training labels, then the test's unknown ones. */
  baselineTest(test: readonly Example[], words: Tokenizer, ngrams: NgramVocabulary) {
    const unknown = multiLabelSet(test).filter((l) => !this.labels.includes(l));
    const labels = [...this.labels, ...unknown];
    return { lines: test.map((e) => ngrams.encodeIds(words.modelTokens(e.text))), truth: multiHot(test, labels), labels };
  }

  /** The LSTM alone's scores, at thresholds tuned on its own validation probabilities (as the model's are). */
  async lstmAloneScores(
    model: Classifier,
    validation: { probabilities?: Float32Array; indices: readonly number[] },
    test: readonly Example[] | undefined,
    predict: SequencePredictor,
  ): Promise<SplitScores> {
    const { probabilities, indices } = validation;
    const tuned = probabilities ? this.tune(probabilities, indices) : this.untuned();
    const scores: SplitScores = {};
    if (probabilities)
      scores.validation = pair(computeMultiLabelMetrics(this.labels, this.rows(indices), probabilities, tuned.thresholds, this.rule()));
    if (test?.length)
      scores.test = pair((await evaluate({ ...model, thresholds: tuned.thresholds, ...this.rule() }, test, predict)).metrics);
    return scores;
  }
}

const pair = (m: Metrics) => ({ accuracy: m.accuracy, macroF1: m.macroF1 });
