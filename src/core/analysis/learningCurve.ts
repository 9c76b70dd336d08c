// "Would more labels help?": the model trained on growing shares of the training rows (each share holds the one
// before it, as if labeling had stopped earlier), every run scored on the same held-out rows, and a plain sentence
// about the slope at the end (as Prodigy's train-curve says it).
import { readAnalysisJob, type AnalysisJob } from './analysisJob';
import { stratifiedSplit } from '../data/split';
import type { TrainOptions } from '../options';
import { createRng, shuffleInPlace } from '../random';
import { labelSet, train, type TrainProgress } from '../training/train';
import { CancelledError, isMultiLabel, TextcatError, type Example } from '../types';

export interface CurvePoint {
  /** Share of the training rows, 0–1. */
  share: number;
  rows: number;
  /** Macro-F1 on the held-out rows (the same rows for every point). */
  macroF1: number;
  accuracy: number;
  seconds: number;
}

export interface LearningCurve {
  points: CurvePoint[];
  heldOut: number;
  /** The plain-language reading of the curve's end. */
  verdict: string;
}

export interface LearningCurveInput {
  examples: readonly Example[];
  options: TrainOptions;
  /** Shares of the training rows, ascending, the last usually 1 [0.25, 0.5, 0.75, 1]. */
  shares?: readonly number[];
  /** Share of each class held out and scored by every point [options.validationSplit, at least 0.1]. */
  heldOutShare?: number;
  onPoint?: (index: number, count: number, share: number) => void;
  onProgress?: (index: number, progress: TrainProgress) => void;
  signal?: { readonly aborted: boolean };
  helperScript?: string;
}

export const DEFAULT_SHARES: readonly number[] = [0.25, 0.5, 0.75, 1];
/** A rise smaller than this (macro-F1) is noise between two runs, not a trend. */
export const FLAT = 0.01;

export async function learningCurve(input: LearningCurveInput): Promise<LearningCurve> {
  const { examples, options } = input;
  const shares = input.shares ?? DEFAULT_SHARES;
  if (isMultiLabel(examples)) throw new TextcatError('the learning curve works on single-label datasets only (this one is multi-label)');
  if (shares.length < 2 || shares.some((s, i) => !(s > 0 && s <= 1) || (i > 0 && s <= shares[i - 1]))) {
    throw new TextcatError(`shares must rise from above 0 to at most 1, at least two of them; got ${shares.join(', ')}`);
  }
  const labels = labelSet(examples);
  const classOf = new Map(labels.map((label, i) => [label, i]));
  const split = stratifiedSplit(
    examples.map((e) => classOf.get(e.label)!),
    input.heldOutShare ?? Math.max(0.1, options.validationSplit),
    options.seed,
  );
  const heldOut = split.validation.map((i) => examples[i]);
  // One order for every point, so each share holds the rows of the share before it.
  const order = shuffleInPlace([...split.train], createRng(options.seed ^ 0x1ea2));
  const points: CurvePoint[] = [];
  for (const [index, share] of shares.entries()) {
    if (input.signal?.aborted) throw new CancelledError();
    input.onPoint?.(index, shares.length, share);
    const rows = order.slice(0, Math.max(1, Math.round(order.length * share))).map((i) => examples[i]);
    const started = performance.now();
    const result = await train({
      train: rows,
      test: heldOut,
      options,
      signal: input.signal,
      helperScript: input.helperScript,
      onProgress: input.onProgress && ((progress) => input.onProgress!(index, progress)),
    });
    points.push({
      share,
      rows: rows.length,
      macroF1: result.test!.macroF1,
      accuracy: result.test!.accuracy,
      seconds: (performance.now() - started) / 1000,
    });
  }
  return { points, heldOut: heldOut.length, verdict: curveVerdict(points) };
}

const percent = (share: number) => `${Math.round(share * 100)} %`;

/** The end of the curve in words: still rising (more labels will likely help) or flat since some share. */
export function curveVerdict(points: readonly CurvePoint[]): string {
  const last = points[points.length - 1];
  const before = points[points.length - 2];
  const rise = last.macroF1 - before.macroF1;
  if (rise >= FLAT) {
    return `Still rising by ${rise.toFixed(2)} macro-F1 from ${percent(before.share)} to ${percent(last.share)} of the rows: more labels will likely help.`;
  }
  // The earliest point from which the curve never gets more than FLAT above it.
  let since = points.length - 1;
  while (since > 0 && points.slice(since).every((p) => p.macroF1 - points[since - 1].macroF1 < FLAT)) since--;
  const flatFrom = points[since];
  if (rise <= -FLAT) {
    return `Macro-F1 fell by ${(-rise).toFixed(2)} from ${percent(before.share)} to ${percent(last.share)} of the rows: the newest rows may be noisy or differ from the rest; more labels of the same kind will likely not help.`;
  }
  return since === points.length - 2
    ? `Flat from ${percent(before.share)} to ${percent(last.share)} of the rows: more labels of the same kind will likely not help much.`
    : `Flat since ${percent(flatFrom.share)} of the rows (macro-F1 ${flatFrom.macroF1.toFixed(2)} there, ${last.macroF1.toFixed(2)} with all): more labels of the same kind will likely not help much.`;
}

export interface LearningCurveJob extends Omit<LearningCurveInput, 'examples' | 'options'>, AnalysisJob {}

/** Reads the dataset and draws its curve: what the worker runs for the editor's command. */
export async function learningCurveJob(job: LearningCurveJob): Promise<LearningCurve & { rows: number }> {
  const { loaded, options } = await readAnalysisJob(job);
  const curve = await learningCurve({ ...job, examples: loaded.examples, options });
  return { ...curve, rows: loaded.examples.length };
}
