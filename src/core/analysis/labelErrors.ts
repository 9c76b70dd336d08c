// Likely label errors by confident learning (Northcutt, Jiang, Chuang, "Confident Learning: Estimating Uncertainty
// in Dataset Labels", JAIR 2021; the rule cleanlab's find_label_issues starts from): each row is scored by a model
// that never saw it (k-fold out-of-fold probabilities, with the user's own training options), each class gets a
// threshold — the mean probability the models give that class on the rows labeled with it (its self-confidence) —
// and a row is suspect when its given label falls below its class's threshold while another class reaches its own.
// Per-class thresholds, not one cut: a hard class whose rows all score 0.6 is not a class of errors.
import { readAnalysisJob, type AnalysisJob } from './analysisJob';
import { predictTexts } from '../predict';
import { createRng, shuffleInPlace } from '../random';
import { labelSet, train, type TrainProgress } from '../training/train';
import type { TrainOptions } from '../options';
import { CancelledError, isMultiLabel, TextcatError, type ColumnChoice, type DatasetFormat, type Example } from '../types';

export interface LabelIssue {
  /** Index of the row in the examples given. */
  index: number;
  given: string;
  suggested: string;
  /** Out-of-fold probability of the given label. */
  givenProbability: number;
  /** Out-of-fold probability of the suggested label. */
  suggestedProbability: number;
  /** suggestedProbability − givenProbability: how sure the finding is; issues come sorted by it, largest first. */
  margin: number;
}

/** A finding with the row it is about (what a front end lists and relabels). */
export interface LabelIssueRow extends LabelIssue {
  line: number;
  /** Folder datasets: the example's file. */
  file?: string;
  text: string;
}

/** The findings with their rows, in the order of `issues`. */
export function issueRows(issues: readonly LabelIssue[], examples: readonly Example[]): LabelIssueRow[] {
  return issues.map((issue) => {
    const { line, file, text } = examples[issue.index];
    return { ...issue, line, ...(file === undefined ? {} : { file }), text };
  });
}

export interface OutOfFold {
  labels: string[];
  /** [rows, labels.length]: each row's probabilities from the fold model that did not train on it. */
  probabilities: Float32Array;
  /** Index of each row's given label in `labels`. */
  given: number[];
}

export interface LabelCheckInput {
  examples: readonly Example[];
  options: TrainOptions;
  folds: number;
  /** Before each fold's training (fold from 1), and each fold's training progress. */
  onFold?: (fold: number, folds: number) => void;
  onProgress?: (fold: number, progress: TrainProgress) => void;
  signal?: { readonly aborted: boolean };
  helperScript?: string;
}

export const DEFAULT_FOLDS = 5;
export const MAX_FOLDS = 20;

/**
 * Fold of each row: each class's rows, shuffled with the seed, dealt round-robin, so every fold holds its share of
 * every class (a class with fewer rows than folds is missing from some folds, never from all training sets but
 * when it has one row).
 */
export function stratifiedFolds(given: readonly number[], folds: number, seed: number): number[] {
  const rng = createRng(seed ^ 0x5f0d);
  const fold = new Array<number>(given.length).fill(0);
  const byClass = new Map<number, number[]>();
  given.forEach((label, index) => {
    const members = byClass.get(label);
    if (members) members.push(index);
    else byClass.set(label, [index]);
  });
  let next = 0;
  for (const members of byClass.values()) {
    shuffleInPlace(members, rng);
    // Continue the deal where the previous class stopped, so small classes do not all land in fold 0.
    for (const index of members) fold[index] = next++ % folds;
  }
  return fold;
}

export async function outOfFoldProbabilities(input: LabelCheckInput): Promise<OutOfFold> {
  const { examples, folds } = input;
  if (isMultiLabel(examples)) throw new TextcatError('finding label errors works on single-label datasets only (this one is multi-label)');
  if (!Number.isInteger(folds) || folds < 2 || folds > MAX_FOLDS)
    throw new TextcatError(`folds must be an integer from 2 to ${MAX_FOLDS}, got ${folds}`);
  if (examples.length < folds) throw new TextcatError(`${examples.length} rows cannot be split into ${folds} folds`);
  const labels = labelSet(examples);
  const classOf = new Map(labels.map((label, i) => [label, i]));
  const given = examples.map((e) => classOf.get(e.label)!);
  const fold = stratifiedFolds(given, folds, input.options.seed);
  const probabilities = new Float32Array(examples.length * labels.length);
  for (let f = 0; f < folds; f++) {
    if (input.signal?.aborted) throw new CancelledError();
    input.onFold?.(f + 1, folds);
    const held = examples.flatMap((_, i) => (fold[i] === f ? [i] : []));
    const model = await train({
      train: examples.filter((_, i) => fold[i] !== f),
      options: input.options,
      signal: input.signal,
      helperScript: input.helperScript,
      onProgress: input.onProgress && ((progress) => input.onProgress!(f + 1, progress)),
    });
    const foldProbabilities = predictTexts(
      model,
      held.map((i) => examples[i].text),
    );
    // The fold's model may lack a class (one seen only in the held-out rows): it scores 0 there.
    const column = model.labels.map((label) => classOf.get(label)!);
    held.forEach((row, h) => {
      for (let k = 0; k < column.length; k++) probabilities[row * labels.length + column[k]] = foldProbabilities[h * column.length + k];
    });
  }
  return { labels, probabilities, given };
}

/** Confident learning on out-of-fold probabilities: the suspect rows, most certain first. */
export function findLabelIssues({ labels, probabilities, given }: OutOfFold): LabelIssue[] {
  const K = labels.length;
  const sum = new Float64Array(K);
  const count = new Float64Array(K);
  given.forEach((label, row) => {
    sum[label] += probabilities[row * K + label];
    count[label]++;
  });
  const threshold = Array.from(sum, (s, k) => (count[k] ? s / count[k] : Infinity));
  const issues: LabelIssue[] = [];
  given.forEach((label, row) => {
    const p = probabilities.subarray(row * K, (row + 1) * K);
    if (p[label] >= threshold[label]) return;
    let suggested = -1;
    for (let k = 0; k < K; k++) {
      if (k !== label && p[k] >= threshold[k] && (suggested < 0 || p[k] > p[suggested])) suggested = k;
    }
    if (suggested < 0) return;
    issues.push({
      index: row,
      given: labels[label],
      suggested: labels[suggested],
      givenProbability: p[label],
      suggestedProbability: p[suggested],
      margin: p[suggested] - p[label],
    });
  });
  return issues.sort((a, b) => b.margin - a.margin || a.index - b.index);
}

export async function checkLabels(input: LabelCheckInput): Promise<{ issues: LabelIssue[]; outOfFold: OutOfFold }> {
  const outOfFold = await outOfFoldProbabilities(input);
  return { issues: findLabelIssues(outOfFold), outOfFold };
}

/** The dataset a check read: enough to open and relabel its rows (core/data/relabel.ts's RelabelTarget). */
export interface CheckedDataset {
  path: string;
  format: DatasetFormat;
  columns: ColumnChoice;
  rows: number;
}

export interface LabelCheckJob extends Omit<LabelCheckInput, 'examples' | 'options'>, AnalysisJob {}

/** Reads the dataset and checks its labels: what the worker runs for the editor's Find Likely Label Errors. */
export async function checkLabelsJob(job: LabelCheckJob): Promise<{ dataset: CheckedDataset; issues: LabelIssueRow[] }> {
  const { loaded, options } = await readAnalysisJob(job);
  const { issues } = await checkLabels({ ...job, examples: loaded.examples, options });
  return {
    dataset: { path: loaded.path, format: loaded.format, columns: loaded.columns, rows: loaded.examples.length },
    issues: issueRows(issues, loaded.examples),
  };
}
