// Which column holds the text and which the label: named by the user, recognised from the header,
// or inferred from the values, in that order of trust.

import { TextcatError, type ColumnChoice, type ReadDatasetOptions } from '../types';

// Earlier names win when several match; `title` is last because a body beats a title as the text.
const TEXT_NAMES = [
  'text',
  'sentence',
  'content',
  'message',
  'review',
  'body',
  'comment',
  'utterance',
  'document',
  'tweet',
  'msg',
  'query',
  'question',
  'title',
];
// The plurals last: a multi-label file's column of label lists (`text,labels`).
const LABEL_NAMES = [
  'label',
  'class',
  'category',
  'intent',
  'target',
  'sentiment',
  'topic',
  'tag',
  'severity',
  'level',
  'y',
  'labels',
  'classes',
  'categories',
  'topics',
  'tags',
];
/** Scores are in [0, 2]; below this gap between the best and the runner-up we ask the user. */
const CONFIDENT_MARGIN = 0.25;
/** Mean length (characters) at which a column is half "long text", half "short value". */
const LENGTH_SCALE = 20;

type How = ColumnChoice['source'];

/** JSON objects name their columns by their keys, not by a header row: what a "from the header" choice is called for them. */
export function namesColumnsByKeys(format: string | undefined): boolean {
  return format === 'json' || format === 'jsonl';
}
interface Pick {
  column: string;
  how: How;
}

/** `valuesOf` gives the sampled values of a column as strings, for guessing from the data. */
export function chooseColumns(
  available: readonly string[],
  valuesOf: (column: string) => string[],
  options: ReadDatasetOptions,
  file: string,
): ColumnChoice {
  if (available.length < 2) {
    throw new TextcatError(`needs a text column and a label column, but has only ${describeColumns(available)}`, file);
  }
  const textOption = resolveOverride(options.textColumn, available, 'text', file);
  const labelOption = resolveOverride(options.labelColumn, available, 'label', file);
  if (textOption && textOption === labelOption) {
    throw new TextcatError(`the text column and the label column are both "${textOption}"`, file);
  }
  const text = pickByOption(textOption) ?? pickByHeader(available, TEXT_NAMES, labelOption);
  const label = pickByOption(labelOption) ?? pickByHeader(available, LABEL_NAMES, text?.column);
  if (text && label && text.column !== label.column) return choice(text, label, true, available);
  return guessFromData(available, valuesOf, text, label);
}

function resolveOverride(
  wanted: string | undefined,
  available: readonly string[],
  role: 'text' | 'label',
  file: string,
): string | undefined {
  if (wanted === undefined || wanted === '') return undefined;
  const found =
    available.find((name) => name === wanted) ??
    available.find((name) => name.toLowerCase() === wanted.toLowerCase()) ??
    (/^\d+$/.test(wanted) ? available[Number(wanted)] : undefined);
  if (found === undefined) {
    throw new TextcatError(`there is no ${role} column "${wanted}"; available columns: ${describeColumns(available)}`, file);
  }
  return found;
}

function pickByOption(column: string | undefined): Pick | undefined {
  return column === undefined ? undefined : { column, how: 'option' };
}

/** Exact names first, then names that contain a known word (`review_text`, `Intent-Name`). */
function pickByHeader(available: readonly string[], known: string[], taken: string | undefined): Pick | undefined {
  const free = available.filter((name) => name !== taken);
  for (const word of known) {
    const exact = free.find((name) => name.trim().toLowerCase() === word);
    if (exact !== undefined) return { column: exact, how: 'header' };
  }
  for (const word of known) {
    const partial = free.find((name) =>
      name
        .toLowerCase()
        .split(/[^a-z0-9]+/)
        .includes(word),
    );
    if (partial !== undefined) return { column: partial, how: 'header' };
  }
  return undefined;
}

/**
 * Tries the (text, label) pairs the fixed picks allow and keeps the best: the label column has few distinct
 * short values, the text column long varied ones. Confident only when the runner-up is clearly worse. A
 * pair's score is the sum of its two columns' scores, so the best two pairs are always among the three best
 * text and three best label columns: only those are paired, which keeps a wide table linear.
 */
function guessFromData(
  available: readonly string[],
  valuesOf: (column: string) => string[],
  text: Pick | undefined,
  label: Pick | undefined,
): ColumnChoice {
  const stats = new Map(available.map((column) => [column, columnStats(valuesOf(column))]));
  const texts = text ? [text.column] : leaders(available, (c) => textScore(stats.get(c)!));
  const labels = label ? [label.column] : leaders(available, (c) => labelScore(stats.get(c)!));
  const pairs = texts
    .flatMap((t) => labels.filter((l) => l !== t).map((l) => ({ t, l, score: textScore(stats.get(t)!) + labelScore(stats.get(l)!) })))
    .sort((a, b) => b.score - a.score);
  const [best, runnerUp] = pairs;
  const confident = runnerUp === undefined || best.score - runnerUp.score >= CONFIDENT_MARGIN;
  return choice(
    text?.column === best.t ? text : { column: best.t, how: 'data' },
    label?.column === best.l ? label : { column: best.l, how: 'data' },
    confident,
    available,
  );
}

/** The three best columns by `score` (ties to the earlier column), kept in their original order so pairs sort as before. */
function leaders(available: readonly string[], score: (column: string) => number): string[] {
  const top = new Set(
    available
      .map((column, index) => ({ column, index, value: score(column) }))
      .sort((a, b) => b.value - a.value || a.index - b.index)
      .slice(0, 3)
      .map((c) => c.column),
  );
  return available.filter((column) => top.has(column));
}

interface ColumnStats {
  distinctRatio: number;
  meanLength: number;
}

function columnStats(values: string[]): ColumnStats {
  const present = values.filter((value) => value !== '');
  if (present.length === 0) return { distinctRatio: 1, meanLength: 0 };
  const totalLength = present.reduce((sum, value) => sum + value.length, 0);
  return { distinctRatio: new Set(present).size / present.length, meanLength: totalLength / present.length };
}

function textScore({ distinctRatio, meanLength }: ColumnStats): number {
  return distinctRatio * (meanLength / (meanLength + LENGTH_SCALE));
}

function labelScore({ distinctRatio, meanLength }: ColumnStats): number {
  if (meanLength === 0) return 0;
  return (1 - distinctRatio) * (LENGTH_SCALE / (meanLength + LENGTH_SCALE));
}

/** The overall source is the least trusted of the two picks: data < header < option. */
function choice(text: Pick, label: Pick, confident: boolean, available: readonly string[]): ColumnChoice {
  const trust: How[] = ['data', 'header', 'option'];
  const source = trust[Math.min(trust.indexOf(text.how), trust.indexOf(label.how))];
  return { text: text.column, label: label.column, source, confident, available: [...available] };
}

function describeColumns(columns: readonly string[]): string {
  return columns.length === 0 ? '(none)' : columns.map((name) => JSON.stringify(name)).join(', ');
}

/** What labelling a table with a model needs: the text column, and whether another column holds labels. */
export interface TextColumnChoice {
  text: string;
  /** How the text column itself was picked. */
  source: 'option' | 'header' | 'data';
  confident: boolean;
  /** The column training would take as the label (none in a one-column table); `named` when the user or the header says it is one. */
  label?: { column: string; named: boolean };
  available: string[];
}

/** The text column as training would pick it, so `predict` reads the column a model was trained on. */
export function chooseTextColumn(
  available: readonly string[],
  valuesOf: (column: string) => string[],
  options: ReadDatasetOptions,
  file: string,
): TextColumnChoice {
  if (available.length === 1) {
    const text = resolveOverride(options.textColumn, available, 'text', file) ?? available[0];
    if (resolveOverride(options.labelColumn, available, 'label', file) === text) {
      throw new TextcatError(`has only the label column "${text}", no text to label`, file);
    }
    return { text, source: options.textColumn ? 'option' : 'data', confident: true, available: [...available] };
  }
  const pair = chooseColumns(available, valuesOf, options, file);
  const byHeader = pickByHeader(available, TEXT_NAMES, pair.label)?.column === pair.text;
  const source: TextColumnChoice['source'] = options.textColumn ? 'option' : byHeader ? 'header' : 'data';
  const named = Boolean(options.labelColumn) || pickByHeader(available, LABEL_NAMES, pair.text)?.column === pair.label;
  return {
    text: pair.text,
    source,
    confident: source !== 'data' || pair.confident,
    label: { column: pair.label, named },
    available: pair.available,
  };
}
