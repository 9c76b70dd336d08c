// Autotune: training options searched within a time budget, scored by validation macro-F1. The first trial is the
// starting options (the defaults, with whatever the user set), and a later trial is kept only when it scores above
// every one before it, so the result is never worse than the starting options on the search's own score. The walk
// of configurations is autotuneSpace.ts's. Small datasets are scored by k-fold cross-validation (out-of-fold
// predictions pooled, then one macro-F1), because there the validation split is a few dozen rows and one lucky
// split decides. A configuration that would likely overrun the budget left (estimated from the trials so far) is
// passed over for a cheaper one further along the walk; the search stops after PASS_OVER_LIMIT such in a row, then
// makes the model: the best trial's own when trials trained on the split `textcat train` uses,
// else the best options trained again on every row; and when that model's own linear baseline beats it on
// validation, its n-gram path alone (ngramOnly.ts). Plain data and callbacks: the CLI and a worker drive it alike.
import type { AutotuneRecord, AutotuneTrial } from './autotuneRecord';
import {
  changesFrom,
  configurations,
  describeChanges,
  searchedOptions,
  SEARCH_SPACE,
  type DataLimits,
  type SearchSpace,
} from './autotuneSpace';
import { stratifiedFolds } from '../analysis/labelErrors';
import { computeMetrics } from '../evaluation/metrics';
import { ngramOnlyResult } from '../training/ngramOnly';
import { DEFAULT_OPTIONS, type TrainOptions } from '../options';
import { predictTexts } from '../predict';
import { Tokenizer } from '../text/tokenizer';
import { labelSet, train, type TrainProgress, type TrainResult } from '../training/train';
import { CancelledError, isMultiLabel, TextcatError, type Example } from '../types';

export interface AutotuneInput {
  examples: readonly Example[];
  /** The first trial's options; the others change a few of the searched ones. */
  options: TrainOptions;
  budgetSeconds: number;
  /** Options the user set: the search leaves them as they are. */
  fixed?: readonly string[];
  /** 1: the validation split; k ≥ 2: k-fold. Absent: SMALL_SET_FOLDS under SMALL_SET_ROWS rows, else 1. */
  folds?: number;
  space?: SearchSpace;
  /** Scored by the saved model only, never by the search. */
  test?: readonly Example[];
  /** Before each trial: its number (from 1) and what it changes. */
  onTrialStart?: (index: number, changes: Partial<TrainOptions>) => void;
  /** After each trial: it, every trial so far (the live list), and the number of the best so far. */
  onTrial?: (trial: AutotuneTrial, trials: readonly AutotuneTrial[], best: number) => void;
  /** Training progress of a trial's fold (fold 1 with one split); trial 0 is the final training on every row. */
  onProgress?: (trial: number, fold: number, progress: TrainProgress) => void;
  /**
   * Once the search stops starting trials: why (as AutotuneRecord.stopped), and when the budget left no time for
   * the next configuration of the walk, what that configuration would have changed (a front end lists it as skipped).
   */
  onStopped?: (why: string, skipped?: Partial<TrainOptions>) => void;
  /** A configuration passed over because it would likely overrun the budget left: its changes and estimated seconds. */
  onPassedOver?: (changes: Partial<TrainOptions>, estimatedSeconds: number) => void;
  /** Before the steps after the search: 'retrain' (the chosen options on every row), 'baseline' (the n-gram path alone). */
  onFinalStep?: (step: 'retrain' | 'baseline') => void;
  signal?: { readonly aborted: boolean };
  helperScript?: string;
}

export interface AutotuneResult {
  /** The model to save. */
  model: TrainResult;
  record: AutotuneRecord;
}

/** Below this many rows one validation split is too few rows to trust (a 10 % split of 2,000 is 200 rows). */
export const SMALL_SET_ROWS = 2000;
export const SMALL_SET_FOLDS = 3;
/**
 * Configurations that would overrun the budget left, passed over in a row before the search stops: the walk mixes
 * large and small networks, and stopping at the first large one left a fifth of a banking77 budget unused.
 */
const PASS_OVER_LIMIT = 8;
/** A longer search would make textcat.json long; no budget reaches it on data worth tuning. */
export const MAX_TRIALS = 100;

export const MULTI_LABEL_REFUSAL =
  'autotune works on single-label datasets only (this one is multi-label): train it with the options as they are';

export function foldsFor(rows: number, folds?: number): number {
  if (folds !== undefined) {
    if (!Number.isInteger(folds) || folds < 1 || folds > 20) throw new TextcatError(`folds must be an integer from 1 to 20, got ${folds}`);
    return rows < folds ? 1 : folds;
  }
  return rows < SMALL_SET_ROWS && rows >= SMALL_SET_FOLDS ? SMALL_SET_FOLDS : 1;
}

interface TrialCost {
  options: TrainOptions;
  seconds: number;
  /** Of those, the LSTM's epochs (what the searched options scale). */
  lstmSeconds: number;
}

export async function autotune(input: AutotuneInput): Promise<AutotuneResult> {
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  const { examples, options: base, budgetSeconds } = input;
  if (isMultiLabel(examples)) throw new TextcatError(MULTI_LABEL_REFUSAL);
  if (!(base.validationSplit > 0)) throw new TextcatError('autotune scores trials on held-out rows: validationSplit must be above 0');
  if (!(budgetSeconds > 0)) throw new TextcatError(`the autotune budget must be above 0 seconds, got ${budgetSeconds}`);
  const folds = foldsFor(examples.length, input.folds);
  const space = input.space ?? SEARCH_SPACE;
  const lengths = lineLengths(examples, base, space);
  const limits: DataLimits = { longestLine: lengths.reduce((a, b) => Math.max(a, b), 0) };
  const walk = configurations(base.seed, space, base, searchedOptions(space, base, new Set(input.fixed)), () => limits);
  const labels = labelSet(examples);
  const classOf = new Map(labels.map((label, i) => [label, i]));
  const given = examples.map((e) => classOf.get(e.label)!);
  const foldOf = folds > 1 ? stratifiedFolds(given, folds, base.seed) : undefined;

  const trials: AutotuneTrial[] = [];
  const costs: TrialCost[] = [];
  let best: { index: number; options: TrainOptions; model?: TrainResult } | undefined;
  let stopped = 'the search ran out of configurations it had not tried';
  let skipped: Partial<TrainOptions> | undefined;
  // The stop the passed-over configurations in a row would make, told with the first of them.
  let overrun: { why: string; skipped: Partial<TrainOptions>; count: number } | undefined;
  for (const options of walk) {
    if (trials.length >= MAX_TRIALS) {
      stopped = `${MAX_TRIALS} trials, the most one search runs`;
      break;
    }
    if (trials.length > 0) {
      const estimate = estimateSeconds(options, costs, lengths);
      // With folds the chosen options still train once on every row: leave time for that.
      const finalTraining = folds > 1 ? Math.max(estimate, costs[best!.index - 1].seconds) / (folds - 1) : 0;
      const left = budgetSeconds - elapsed();
      if (estimate + finalTraining > left) {
        const changes = changesFrom(base, options);
        if (left <= 0) {
          [stopped, skipped] = ['the budget was spent', overrun?.skipped ?? changes];
          overrun = undefined;
          break;
        }
        overrun ??= {
          why: `the next trial would likely take ${Math.round(estimate)} s${finalTraining ? ` (and the final training ${Math.round(finalTraining)} s)` : ''}, with ${Math.round(left)} s of the budget left`,
          skipped: changes,
          count: 0,
        };
        input.onPassedOver?.(changes, estimate);
        if (++overrun.count >= PASS_OVER_LIMIT) break;
        continue;
      }
    }
    overrun = undefined;
    if (input.signal?.aborted) throw new CancelledError('autotune cancelled');
    const index = trials.length + 1;
    const changes = changesFrom(base, options);
    input.onTrialStart?.(index, changes);
    const trialStart = performance.now();
    const scored =
      foldOf === undefined
        ? await splitTrial(input, options, index)
        : await foldTrial(input, options, index, { labels, classOf, given, foldOf, folds });
    const seconds = (performance.now() - trialStart) / 1000;
    const trial: AutotuneTrial = { index, changes, validationMacroF1: scored.macroF1, validationAccuracy: scored.accuracy, seconds };
    trials.push(trial);
    costs.push({ options, seconds, lstmSeconds: scored.lstmSeconds });
    if (scored.ngramsInData !== undefined) limits.ngrams ??= scored.ngramsInData;
    // Strictly above: a tie keeps the earlier trial, so the starting options win every tie.
    if (!best || trial.validationMacroF1 > trials[best.index - 1].validationMacroF1) best = { index, options, model: scored.model };
    input.onTrial?.(trial, trials, best.index);
  }
  if (overrun) [stopped, skipped] = [overrun.why, overrun.skipped];
  input.onStopped?.(stopped, skipped);
  const chosen = best!;
  let model = chosen.model;
  if (!model) {
    input.onFinalStep?.('retrain');
    model = await train({ ...trainInput(input, chosen.options), onProgress: input.onProgress && ((p) => input.onProgress!(0, 1, p)) });
  }
  const guarded = await notBelowBaseline(input, model);
  const record: AutotuneRecord = {
    budgetSeconds,
    seconds: elapsed(),
    start: changesFrom(DEFAULT_OPTIONS, base),
    seed: base.seed,
    folds,
    trials,
    chosen: chosen.index,
    final: chosen.model ? 'trial' : 'retrained',
    ...(guarded.ngramOnly ? { ngramOnly: true } : {}),
    stopped,
    why: `${whyChosen(trials, chosen.index, base, folds, examples.length)} ${whyFinal(chosen.model ? 'trial' : 'retrained')}${guarded.note ? ` ${guarded.note}` : ''}`,
  };
  return { model: guarded.model, record };
}

function trainInput(input: AutotuneInput, options: TrainOptions) {
  return { options, signal: input.signal, helperScript: input.helperScript, train: input.examples, test: input.test };
}

interface TrialScore {
  macroF1: number;
  accuracy: number;
  lstmSeconds: number;
  /** Distinct n-grams in the training rows, when fewer than the vocabulary could hold. */
  ngramsInData?: number;
  /** The trial's model, when it is the one `textcat train` would make with these options. */
  model?: TrainResult;
}

/** One training on the split train() holds out, the same for every trial (same seed): its validation scores. */
async function splitTrial(input: AutotuneInput, options: TrainOptions, index: number): Promise<TrialScore> {
  // The test rows go in so that a kept model carries its test scores; the search never reads them.
  const model = await train({ ...trainInput(input, options), onProgress: input.onProgress && ((p) => input.onProgress!(index, 1, p)) });
  return {
    macroF1: model.validation!.macroF1,
    accuracy: model.validation!.accuracy,
    lstmSeconds: lstmSeconds(model),
    ngramsInData: ngramsInData(model),
    model,
  };
}

/** k trainings, each scoring the fold it did not see; one macro-F1 over the pooled out-of-fold predictions. */
async function foldTrial(
  input: AutotuneInput,
  options: TrainOptions,
  index: number,
  data: { labels: string[]; classOf: Map<string, number>; given: number[]; foldOf: number[]; folds: number },
): Promise<TrialScore> {
  const { examples } = input;
  const { labels, classOf, given, foldOf, folds } = data;
  const K = labels.length;
  const probabilities = new Float32Array(examples.length * K);
  let lstm = 0;
  let ngrams: number | undefined;
  for (let f = 0; f < folds; f++) {
    const held = examples.flatMap((_, i) => (foldOf[i] === f ? [i] : []));
    const model = await train({
      train: examples.filter((_, i) => foldOf[i] !== f),
      options,
      signal: input.signal,
      helperScript: input.helperScript,
      onProgress: input.onProgress && ((p) => input.onProgress!(index, f + 1, p)),
    });
    lstm += lstmSeconds(model);
    ngrams = Math.max(ngrams ?? 0, ngramsInData(model) ?? Infinity);
    const foldProbabilities = predictTexts(
      model,
      held.map((i) => examples[i].text),
    );
    // A fold's model may lack a class seen only in its held-out rows: that class scores 0 there.
    const column = model.labels.map((label) => classOf.get(label)!);
    held.forEach((row, h) => {
      for (let k = 0; k < column.length; k++) probabilities[row * K + column[k]] = foldProbabilities[h * column.length + k];
    });
  }
  const metrics = computeMetrics(labels, given, probabilities);
  return {
    macroF1: metrics.macroF1,
    accuracy: metrics.accuracy,
    lstmSeconds: lstm,
    ngramsInData: ngrams === Infinity ? undefined : ngrams,
  };
}

const lstmSeconds = (model: TrainResult) => model.history.reduce((sum, epoch) => sum + epoch.seconds, 0);

/** The data's distinct n-grams when the vocabulary kept them all (fewer than it could hold), else undefined. */
function ngramsInData(model: TrainResult): number | undefined {
  const room = model.options.wideNgrams || DEFAULT_OPTIONS.wideNgrams;
  return model.baseline.ngrams < room ? model.baseline.ngrams : undefined;
}

/**
 * Tokens per line, up to the longest maxLength the search may try: an LSTM step per token is what a trial's time
 * grows with, and a maxLength above the longest line changes nothing.
 */
function lineLengths(examples: readonly Example[], base: TrainOptions, space: SearchSpace): number[] {
  const limit = Math.max(base.maxLength, ...(space.maxLength ?? []));
  const tokenizer = Tokenizer.fit([], { mode: base.tokenMode, keepPunctuation: base.keepPunctuation, maxLength: limit });
  return examples.map((e) => tokenizer.tokenize(e.text, limit).length);
}

/** Work per line of an LSTM epoch, up to a constant: directions × steps × the gates' weights (4H(E + H) each). */
function work(options: TrainOptions, lengths: readonly number[]): number {
  let steps = 0;
  for (const length of lengths) steps += Math.min(length, options.maxLength);
  return (options.bidirectional ? 2 : 1) * Math.max(1, steps) * options.hiddenUnits * (options.embeddingDim + options.hiddenUnits);
}

/**
 * The next trial's likely seconds: what did not depend on the options (vocabularies, the baseline, evaluation)
 * as it took, the LSTM's epochs scaled by work from each trial so far, averaged. Epochs to early stopping vary;
 * the mean over trials smooths them.
 */
function estimateSeconds(options: TrainOptions, costs: readonly TrialCost[], lengths: readonly number[]): number {
  const next = work(options, lengths);
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  return (
    mean(costs.map((c) => Math.max(0, c.seconds - c.lstmSeconds))) +
    mean(costs.map((c) => (c.lstmSeconds * next) / work(c.options, lengths)))
  );
}

/** The model, or its n-gram path alone when that (its linear baseline) scores above it on validation. */
async function notBelowBaseline(
  input: AutotuneInput,
  model: TrainResult,
): Promise<{ model: TrainResult; ngramOnly?: boolean; note?: string }> {
  const mine = model.validation?.macroF1;
  const theirs = model.baseline.validation?.macroF1;
  if (mine === undefined || theirs === undefined || theirs <= mine) return { model };
  input.onFinalStep?.('baseline');
  const alone = await ngramOnlyResult(input.examples, model, input.test, input.signal);
  const scored = alone.validation!.macroF1;
  const pair = `${mine.toFixed(3)} against ${theirs.toFixed(3)}`;
  if (scored > mine) {
    return {
      model: alone,
      ngramOnly: true,
      note: `Its linear baseline scored higher on its validation split (macro-F1 ${pair}), so the saved model is the n-gram path alone (LSTM weight 0), which is that baseline (${scored.toFixed(3)}).`,
    };
  }
  return {
    model,
    note: `Its linear baseline scored higher on its validation split (macro-F1 ${pair}), but the n-gram path alone scored ${scored.toFixed(3)} there, not above the model, so the model was kept.`,
  };
}

function whyChosen(trials: readonly AutotuneTrial[], chosen: number, base: TrainOptions, folds: number, rows: number): string {
  const start = Object.keys(changesFrom(DEFAULT_OPTIONS, base)).length
    ? `the starting options (defaults with ${describeChanges(changesFrom(DEFAULT_OPTIONS, base))})`
    : 'the default options';
  const how = folds > 1 ? `${folds}-fold cross-validation on ${rows} rows` : 'on the validation split';
  const f1 = (index: number) => trials[index - 1].validationMacroF1.toFixed(3);
  if (trials.length === 1) return `Only ${start} were tried within the budget: validation macro-F1 ${f1(1)} (${how}).`;
  if (chosen === 1)
    return `Of ${trials.length} trials, ${start} scored best: validation macro-F1 ${f1(1)} (${how}); no other trial scored above them.`;
  return `Of ${trials.length} trials, trial ${chosen} (${describeChanges(trials[chosen - 1].changes)}) scored best: validation macro-F1 ${f1(chosen)} against ${f1(1)} for ${start} (${how}).`;
}

function whyFinal(final: AutotuneRecord['final']): string {
  return final === 'trial'
    ? "The saved model is that trial's own: it trained on the same split textcat train uses."
    : 'The saved model is those options trained again on every row (the folds each held a part out).';
}
