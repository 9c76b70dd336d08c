// What an autotuned model keeps of its search in textcat.json (ModelManifest.autotune), and what the search hands a
// front end as each trial ends. Types only, so the model store and the search can both name them without a cycle.
import type { TrainOptions } from '../options';

export interface AutotuneTrial {
  /** 1 for the first trial (the starting options), then in the order they ran. */
  index: number;
  /** The options this trial changed from the first trial's ({} for the first trial itself). */
  changes: Partial<TrainOptions>;
  /** Macro-F1 on the held-out rows the search scores by (out-of-fold with folds ≥ 2). */
  validationMacroF1: number;
  validationAccuracy: number;
  seconds: number;
}

export interface AutotuneRecord {
  budgetSeconds: number;
  /** The whole search, the final training included. */
  seconds: number;
  /** What the first trial's options changed from the defaults: the options the user set ({} for none). */
  start: Partial<TrainOptions>;
  /** The search's seed (the training seed): the same seed and budget give the same configurations. */
  seed: number;
  /** 1: each trial scored on the validation split train holds out; k ≥ 2: k-fold cross-validation (small datasets). */
  folds: number;
  trials: AutotuneTrial[];
  /** The `index` of the trial whose options the saved model was trained with. */
  chosen: number;
  /** 'trial': the chosen trial's own model was saved; 'retrained': the chosen options trained again on every row. */
  final: 'trial' | 'retrained';
  /** True when the saved model is the n-gram path alone (LSTM weight 0): its linear baseline beat the LSTM + n-grams. */
  ngramOnly?: boolean;
  /** Why the search stopped starting trials. */
  stopped: string;
  /** Why the saved model is the one it is, in a sentence or two. */
  why: string;
}
