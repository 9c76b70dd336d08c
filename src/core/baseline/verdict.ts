// How a model compares with its baseline, in one place for the CLI and the sidebar: on the test set when there is
// one (it was used for nothing else), else on the validation set, by macro-F1. No imports: the webview uses it too.

export interface ScorePair {
  accuracy: number;
  macroF1: number;
}

export interface BaselineVerdict {
  set: 'test' | 'validation';
  model: number;
  baseline: number;
  /** True when the model's macro-F1 is above the baseline's (a tie does not beat it). */
  beats: boolean;
  /** True when the two read the same at the three decimals shown (1.000 and 1.000 is a tie, not a loss). */
  ties: boolean;
}

export function baselineVerdict(
  model: { validation?: ScorePair; test?: ScorePair },
  baseline: { validation?: ScorePair; test?: ScorePair } | undefined,
): BaselineVerdict | undefined {
  const set = model.test && baseline?.test ? 'test' : model.validation && baseline?.validation ? 'validation' : undefined;
  if (!set) return undefined;
  const [mine, theirs] = [model[set]!.macroF1, baseline![set]!.macroF1];
  const ties = mine.toFixed(3) === theirs.toFixed(3);
  return { set, model: mine, baseline: theirs, beats: mine > theirs && !ties, ties };
}
