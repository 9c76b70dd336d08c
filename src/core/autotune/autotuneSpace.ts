// What autotune searches and in which order: a ladder of values per option, and a seeded random walk of one or two
// rungs away from the starting options (the defaults, or what the user set) on a few options at a time. The order of
// the configurations depends only on the seed, the starting options, the ladders and the data (two configurations
// that train the same model on it count once), never on how the trials score or how long they take: the same seed
// and budget try the same configurations, and a shorter budget a prefix of them.
// Random search rather than a grid: with a few minutes for a few trials, a grid would spend them all on the first
// option; around the defaults rather than anywhere: the defaults are good on most data, and a budget of 3-10
// trials is better spent near them. Successive halving was left out: on small data the early epochs of the LSTM
// say little about where it ends (early stopping decides), and the trials are too few to halve.
import { createRng, type Rng } from '../random';
import type { TrainOptions } from '../options';
import { TextcatError } from '../types';

export type SearchedOption = 'embeddingDim' | 'hiddenUnits' | 'dropout' | 'learningRate' | 'maxLength' | 'bidirectional' | 'wideNgrams';

export type SearchSpace = { readonly [K in SearchedOption]?: readonly TrainOptions[K][] };

/** Each ladder holds the default; a trial moves an option one or two rungs from its starting value. */
export const SEARCH_SPACE: SearchSpace = {
  embeddingDim: [32, 64, 128, 200],
  hiddenUnits: [32, 64, 128],
  dropout: [0.2, 0.35, 0.5, 0.6],
  learningRate: [0.0005, 0.001, 0.002, 0.004],
  maxLength: [32, 64, 128, 256],
  bidirectional: [false, true],
  // 0: the LSTM alone; more n-grams than a dataset has are all the same model (configurationKey).
  wideNgrams: [0, 100_000, 500_000, 1_000_000],
};

/** Chance that a trial moves a given option: about two options per trial. */
const MOVE_CHANCE = 0.3;
/** Chance that a move is two rungs rather than one. */
const FAR_CHANCE = 1 / 3;

/**
 * The options the search may change: those of `space` that the user did not set (`fixed`), and not embeddingDim
 * when pretrained vectors set it.
 */
export function searchedOptions(space: SearchSpace, base: TrainOptions, fixed: ReadonlySet<string> = new Set()): SearchedOption[] {
  return (Object.keys(space) as SearchedOption[]).filter(
    (name) => (space[name]?.length ?? 0) > 1 && !fixed.has(name) && !(name === 'embeddingDim' && base.pretrainedVectors),
  );
}

/**
 * The next configuration of the walk: each searched option moves with MOVE_CHANCE (at least one moves), one rung
 * up or down (two with FAR_CHANCE), clamped to its ladder; a starting value off the ladder starts from its nearest rung.
 */
export function sampleChanges(
  rng: Rng,
  space: SearchSpace,
  base: TrainOptions,
  searched: readonly SearchedOption[],
): Partial<TrainOptions> {
  const changes: Record<string, unknown> = {};
  const moving = searched.filter(() => rng() < MOVE_CHANCE);
  if (moving.length === 0 && searched.length) moving.push(searched[Math.floor(rng() * searched.length)]);
  for (const name of moving) {
    const ladder = space[name]! as readonly (number | boolean)[];
    const from = nearestRung(ladder, base[name]);
    const distance = rng() < FAR_CHANCE ? 2 : 1;
    const direction = rng() < 0.5 ? -1 : 1;
    let to = from + direction * distance;
    // Off the ladder one way: go the other way, so every move changes something.
    if (to < 0 || to >= ladder.length) to = from - direction * distance;
    to = Math.max(0, Math.min(ladder.length - 1, to));
    if (ladder[to] !== base[name]) changes[name] = ladder[to];
  }
  return changes;
}

function nearestRung(ladder: readonly (number | boolean)[], value: number | boolean): number {
  if (typeof value === 'boolean') return Math.max(0, ladder.indexOf(value));
  let best = 0;
  ladder.forEach((rung, i) => {
    if (Math.abs((rung as number) - value) < Math.abs((ladder[best] as number) - value)) best = i;
  });
  return best;
}

/** What the data makes equal: more n-grams than it has, or a longer maxLength than its longest line, change nothing. */
export interface DataLimits {
  /** Distinct n-grams in the training rows (known after the first trial). */
  ngrams?: number;
  /** Tokens in the longest line. */
  longestLine?: number;
}

/** `options` with a change the data makes no difference to (1,000,000 n-grams where it has 40,000) taken back. */
function sameOnThisData(options: TrainOptions, base: TrainOptions, limits: DataLimits): TrainOptions {
  const out = { ...options };
  for (const [name, limit] of [
    ['wideNgrams', limits.ngrams],
    ['maxLength', limits.longestLine],
  ] as const) {
    if (limit !== undefined && Math.min(out[name], limit) === Math.min(base[name], limit)) out[name] = base[name];
  }
  return out;
}

/** Two configurations with the same key train the same model on this data: the search runs only the first. */
export function configurationKey(options: TrainOptions, limits: DataLimits): string {
  const clip = (value: number, limit: number | undefined) => (limit === undefined ? value : Math.min(value, limit));
  return JSON.stringify({
    ...options,
    wideNgrams: clip(options.wideNgrams, limits.ngrams),
    maxLength: clip(options.maxLength, limits.longestLine),
  });
}

/**
 * The walk's configurations, in order: the starting options first, then distinct samples (by configurationKey)
 * until `count` or until MAX_MISSES samples in a row were repeats (a small space is used up).
 */
export function* configurations(
  seed: number,
  space: SearchSpace,
  base: TrainOptions,
  searched: readonly SearchedOption[],
  limits: () => DataLimits = () => ({}),
): Generator<TrainOptions> {
  const rng = createRng(seed ^ 0x7a7e);
  // The options themselves, not their keys: what the data makes equal is learned as trials run (limits()).
  const seen: TrainOptions[] = [base];
  yield base;
  for (let misses = 0; misses < MAX_MISSES && searched.length;) {
    const options = sameOnThisData({ ...base, ...sampleChanges(rng, space, base, searched) }, base, limits());
    const key = configurationKey(options, limits());
    if (seen.some((earlier) => configurationKey(earlier, limits()) === key)) {
      misses++;
      continue;
    }
    misses = 0;
    seen.push(options);
    yield options;
  }
}

const MAX_MISSES = 200;

/** The options `options` changes from `base`, in option order. */
export function changesFrom(base: TrainOptions, options: TrainOptions): Partial<TrainOptions> {
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(base) as (keyof TrainOptions)[]) if (options[name] !== base[name]) out[name] = options[name];
  return out;
}

/** A trial's changes in words, "hiddenUnits 128, bidirectional false", or "defaults" for none. */
export function describeChanges(changes: Partial<TrainOptions>, none = 'defaults'): string {
  const parts = Object.entries(changes).map(([name, value]) => `${name} ${String(value)}`);
  return parts.length ? parts.join(', ') : none;
}

export const MAX_BUDGET_SECONDS = 7 * 24 * 3600;

/**
 * Seconds in a duration written as a number and a unit: "90s", "5m", "1.5h" (also "2min", "1 h"). Anything else,
 * zero, or more than a week throws a TextcatError saying what is accepted.
 */
export function parseDuration(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(s|sec|m|min|h)\s*$/i.exec(text);
  const unit = match?.[2].toLowerCase();
  const seconds = match ? Number(match[1]) * (unit === 'h' ? 3600 : unit === 'm' || unit === 'min' ? 60 : 1) : NaN;
  if (!(seconds >= 1) || seconds > MAX_BUDGET_SECONDS) {
    throw new TextcatError(`a duration is a number and a unit, from 1s to 168h (e.g. 90s, 5m, 1h), got "${text}"`);
  }
  return seconds;
}
