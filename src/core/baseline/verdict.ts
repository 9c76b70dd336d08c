// How a model compares with its baseline, in one place for the CLI and the sidebar: on the test set when there is
// one (it was used for nothing else), else on the validation set, by macro-F1. With a wide path the model is the
// LSTM plus the n-gram table, so the LSTM alone is a third figure, and when it adds nothing (weight 0) or scores
// below the baseline on its own, that is said too. No imports: the webview uses it too, on a textcat.json it read
// without checking, so every score is read through readScorePair.

export interface ScorePair {
  accuracy: number;
  macroF1: number;
}

/** Scores on the validation set and, when there was one, the test set. */
export interface SplitScores {
  validation?: ScorePair;
  test?: ScorePair;
}

export interface BaselineVerdict {
  set: 'test' | 'validation';
  model: number;
  baseline: number;
  /** The LSTM alone's macro-F1 on the same set, when the model adds an n-gram path to it and it was measured. */
  lstm?: number;
  /** True when the model's macro-F1 is above the baseline's (a tie does not beat it). */
  beats: boolean;
  /** True when the two read the same at the three decimals shown (1.000 and 1.000 is a tie, not a loss). */
  ties: boolean;
}

/** Why to say that the model owes its score to the n-gram path: the LSTM weighs 0 in it, or alone scores below the baseline. */
export interface LstmNote {
  reason: 'unused' | 'below';
  lstm: number;
  /** The LSTM's weight in the model. */
  weight: number;
}

const sameAtThreeDecimals = (a: number, b: number) => a.toFixed(3) === b.toFixed(3);

export function baselineVerdict(model: unknown, baseline: unknown, lstm?: unknown): BaselineVerdict | undefined {
  // The model's own scores too: the sidebar gets textcat.json as the file has it.
  const [ours, theirs] = [readScores(model), readScores(baseline)];
  const set = ours?.test && theirs?.test ? 'test' : ours?.validation && theirs?.validation ? 'validation' : undefined;
  if (!set) return undefined;
  const [mine, base] = [ours![set]!.macroF1, theirs![set]!.macroF1];
  const ties = sameAtThreeDecimals(mine, base);
  const alone = readScores(lstm)?.[set]?.macroF1;
  return { set, model: mine, baseline: base, ...(alone === undefined ? {} : { lstm: alone }), beats: mine > base && !ties, ties };
}

/** The note to add under the verdict, if any: `combination` is the model's (absent without a wide path). */
export function lstmNote(verdict: BaselineVerdict, combination: unknown): LstmNote | undefined {
  const weight = readWeight(combination);
  if (verdict.lstm === undefined || weight === undefined) return undefined;
  if (weight === 0) return { reason: 'unused', lstm: verdict.lstm, weight };
  if (verdict.lstm < verdict.baseline && !sameAtThreeDecimals(verdict.lstm, verdict.baseline)) {
    return { reason: 'below', lstm: verdict.lstm, weight };
  }
  return undefined;
}

/** A score pair from an untrusted textcat.json: both figures numbers in [0, 1], else undefined. */
export function readScorePair(value: unknown): ScorePair | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { accuracy, macroF1 } = value as Record<string, unknown>;
  return isFraction(accuracy) && isFraction(macroF1) ? { accuracy, macroF1 } : undefined;
}

/**
 * `{ validation?, test? }` from an untrusted textcat.json, only those two fields kept; undefined when it is not an
 * object or a present field is not a score pair.
 */
export function readScores(value: unknown): SplitScores | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const out: SplitScores = {};
  for (const set of ['validation', 'test'] as const) {
    const raw = (value as Record<string, unknown>)[set];
    if (raw === undefined) continue;
    const pair = readScorePair(raw);
    if (!pair) return undefined;
    out[set] = pair;
  }
  return out;
}

/** The LSTM's weight from an untrusted combination `{ lstm, ngrams }`. */
function readWeight(combination: unknown): number | undefined {
  if (typeof combination !== 'object' || combination === null) return undefined;
  const { lstm } = combination as Record<string, unknown>;
  return isFraction(lstm) ? lstm : undefined;
}

function isFraction(x: unknown): x is number {
  return typeof x === 'number' && Number.isFinite(x) && x >= 0 && x <= 1;
}
