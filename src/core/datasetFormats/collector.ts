// Collects a dataset's rows into examples and decides, once every row is seen, whether the dataset is
// multi-label: forced by the caller, or guessed from the rows (any row with two labels or more). Until then a
// row keeps its label as read, so a single-label dataset reads exactly as it did before multi-label existed.

import type { Example, ReadDatasetOptions } from '../types';

/** How a delimited label column joins several labels when the caller names no separator. */
export const DEFAULT_LABEL_SEPARATOR = '|';

/** A row's labels: trimmed, empty ones dropped, each once, in the order first given. */
export function cleanLabels(labels: readonly string[]): string[] {
  // A loop, not a Set: a row has a few labels, and this runs once per row.
  const clean: string[] = [];
  for (const raw of labels) {
    const label = raw.trim();
    if (label !== '' && !clean.includes(label)) clean.push(label);
  }
  return clean;
}

/** The labels of `raw` split on `separator` (cleaned as cleanLabels does). */
export function splitLabels(raw: string, separator: string): string[] {
  if (!raw.includes(separator)) {
    const label = raw.trim();
    return label === '' ? [] : [label];
  }
  return cleanLabels(raw.split(separator));
}

/** How a multi-label example shows its labels where one label is shown (Example.label). */
export function displayLabel(labels: readonly string[]): string {
  return labels.join(', ');
}

export interface CollectorOptions extends Pick<ReadDatasetOptions, 'multiLabel'> {
  /** What one example is in this format, for the warnings. */
  unit?: 'row' | 'file';
  /** Splits a label given as one string (a CSV cell) into labels; undefined: a string is one label. */
  separator?: string;
  /** True when the separator is the default, not one the user named: a guess that the data may contradict. */
  separatorGuessed?: boolean;
}

export interface CollectedExamples {
  examples: Example[];
  warnings: string[];
  /** The separator that split labels, when the examples are multi-label and one did. */
  labelSeparator?: string;
}

interface Skipped {
  count: number;
  /** Where the first one is, and its position among all rows, to name the first of two kinds together. */
  first?: { where: string; order: number };
}

/**
 * Keeps examples with a text (and, single-label, a label), and counts the rows left out to say so once. A
 * label may come as one string (split on the separator when multi-label) or as a list (fastText's several
 * __label__ tokens, a JSON array, a file in several class folders).
 */
export class ExampleCollector {
  private readonly rows: Example[] = [];
  /** Beside each row, its labels as a list gave them (undefined for a string): kept apart so a single-label
   * example never carries (and never has deleted, which would slow every later access) a `labels` key. */
  private readonly lists: (string[] | undefined)[] = [];
  private readonly unit: 'row' | 'file';
  private rowsSeen = 0;
  private severalLabels = 0;
  /** Rows with several labels that came as a list (fastText, JSON): structure, not a guess. */
  private severalFromLists = 0;
  private readonly emptyText: Skipped = { count: 0 };
  /** Rows whose label, read single-label, is empty. */
  private readonly emptyLabel: Skipped = { count: 0 };
  /** Rows with no label once split and cleaned, which multi-label keeps as negatives. */
  private readonly noLabels: Skipped = { count: 0 };

  constructor(private readonly options: CollectorOptions = {}) {
    this.unit = options.unit ?? 'row';
  }

  add(text: string, label: string | readonly string[], line: number, file?: string): void {
    const order = this.rowsSeen++;
    const where = () => file ?? `line ${line}`;
    const example: Example = { text: text.trim(), label: '', line };
    if (file !== undefined) example.file = file;
    if (example.text === '') return note(this.emptyText, where, order);
    let labelCount: number;
    let list: string[] | undefined;
    if (typeof label === 'string') {
      example.label = label.trim();
      const { separator } = this.options;
      const splits = separator !== undefined && example.label.includes(separator);
      labelCount = splits ? splitLabels(example.label, separator).length : example.label === '' ? 0 : 1;
    } else {
      // As read: single-label takes the first (fastText's rule), multi-label cleans the list at the end.
      list = label.map((l) => l.trim());
      example.label = list[0] ?? '';
      labelCount = cleanLabels(list).length;
    }
    if (labelCount >= 2) this.severalLabels++;
    if (labelCount >= 2 && list) this.severalFromLists++;
    if (labelCount === 0) note(this.noLabels, where, order);
    if (example.label === '') note(this.emptyLabel, where, order);
    this.rows.push(example);
    this.lists.push(list);
  }

  /** The examples, once every row has been added. */
  finish(): CollectedExamples {
    const namesHoldSeparator = this.options.multiLabel === undefined && this.separatorIsPartOfNames();
    const multiLabel = this.options.multiLabel ?? (this.severalLabels > 0 && !namesHoldSeparator);
    if (multiLabel) return this.multiLabelExamples();
    const single = this.singleLabelExamples();
    if (!namesHoldSeparator) return single;
    const sep = JSON.stringify(this.options.separator);
    const note = `Read as single-label: ${this.severalLabels} label${this.severalLabels === 1 ? '' : 's'} contain ${sep}, but the parts around it are not labels of other rows, so ${sep} is taken as part of the class names (--multi-label splits them).`;
    return { ...single, warnings: [...single.warnings, note] };
  }

  /**
   * Whether a guessed separator is more likely part of the class names ("<b> | odd") than a join of labels: in a
   * multi-label set (GoEmotions' "joy|love") the parts of joined cells are labels that rows also carry alone, or
   * that come back in other combinations. Names: fewer than half of the distinct parts are seen alone, and no part
   * is in two different joined cells. Lists (fastText, JSON) are structure, never a guess.
   */
  private separatorIsPartOfNames(): boolean {
    const { separator, separatorGuessed } = this.options;
    if (!separatorGuessed || separator === undefined || this.severalLabels === 0 || this.severalFromLists > 0) return false;
    const alone = new Set<string>();
    /** Each part of a joined cell, with the first joined cell it was seen in. */
    const parts = new Map<string, string>();
    for (const [index, example] of this.rows.entries()) {
      if (this.lists[index]) continue;
      if (!example.label.includes(separator)) {
        if (example.label !== '') alone.add(example.label);
        continue;
      }
      for (const part of splitLabels(example.label, separator)) {
        const cell = parts.get(part);
        if (cell === undefined) parts.set(part, example.label);
        else if (cell !== example.label) return false; // a part in two combinations: labels, not a name
      }
    }
    const known = [...parts.keys()].filter((part) => alone.has(part)).length;
    return known * 2 < parts.size;
  }

  private singleLabelExamples(): CollectedExamples {
    const examples = this.emptyLabel.count === 0 ? this.rows : this.rows.filter((example) => example.label !== '');
    const skipped = combine(this.emptyText, this.emptyLabel);
    return { examples, warnings: skipped.count === 0 ? [] : [this.skippedWarning(skipped, 'an empty text or label')] };
  }

  private multiLabelExamples(): CollectedExamples {
    const { separator } = this.options;
    for (const [index, example] of this.rows.entries()) {
      const list = this.lists[index];
      const labels = list
        ? cleanLabels(list)
        : separator !== undefined
          ? splitLabels(example.label, separator)
          : cleanLabels([example.label]);
      example.labels = labels;
      example.label = displayLabel(labels);
    }
    const warnings: string[] = [];
    if (this.options.multiLabel === undefined) warnings.push(this.guessNote());
    if (this.noLabels.count > 0) {
      const none = this.noLabels.count === 1 ? `1 ${this.unit} has` : `${this.noLabels.count} ${this.unit}s have`;
      warnings.push(`${none} no label (the first: ${this.noLabels.first?.where}); each is a negative example for every class.`);
    }
    if (this.emptyText.count > 0) warnings.push(this.skippedWarning(this.emptyText, 'an empty text'));
    return { examples: this.rows, warnings, ...(separator !== undefined ? { labelSeparator: separator } : {}) };
  }

  /** Said like a column guess, so a wrong one (a "|" inside class names) can be undone by forcing single-label. */
  private guessNote(): string {
    const several = this.severalLabels === 1 ? `1 ${this.unit} has` : `${this.severalLabels} ${this.unit}s have`;
    const { separator } = this.options;
    if (separator === undefined) return `Read as multi-label: ${several} several labels.`;
    return `Read as multi-label, labels split on ${JSON.stringify(separator)}: ${several} several labels (read it as single-label if ${JSON.stringify(separator)} is part of the class names).`;
  }

  private skippedWarning(skipped: Skipped, what: string): string {
    const count = skipped.count === 1 ? `1 ${this.unit}` : `${skipped.count} ${this.unit}s`;
    return `Skipped ${count} with ${what} (the first: ${skipped.first?.where}).`;
  }
}

/** `where` is only worked out for the first: most rows are never named. */
function note(skipped: Skipped, where: () => string, order: number): void {
  if (skipped.count++ === 0) skipped.first = { where: where(), order };
}

function combine(a: Skipped, b: Skipped): Skipped {
  const firsts = [a.first, b.first].filter((f) => f !== undefined).sort((x, y) => x.order - y.order);
  return { count: a.count + b.count, first: firsts[0] };
}
