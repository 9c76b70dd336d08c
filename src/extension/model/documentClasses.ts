// The class the model gave each line of one document, and the marks the overview ruler shows for them. Plain
// data, no vscode: two typed arrays (6 bytes a line), so a big log costs little to keep and to walk. A line of
// a multi-label model carries every class over its threshold: the first in the arrays, the others (rare beyond
// one) in a sparse map, so a single-label document costs nothing more.

/** Not classified yet. */
export const UNKNOWN = -1;
/** Blank: nothing to classify. */
export const BLANK = -2;
/** Classified by a multi-label model, and no class reached its threshold. */
export const NO_CLASS = -3;

export class DocumentClasses {
  private classes: Int16Array;
  private confidences: Float32Array;
  /** Multi-label lines: their classes after the first. */
  private others = new Map<number, readonly number[]>();

  constructor(lineCount: number) {
    this.classes = new Int16Array(lineCount).fill(UNKNOWN);
    this.confidences = new Float32Array(lineCount);
  }

  get lineCount(): number {
    return this.classes.length;
  }

  classOf(line: number): number {
    return this.classes[line] ?? UNKNOWN;
  }

  /** Whether the line carries class `classIndex` (its class, or one of a multi-label line's classes). */
  has(line: number, classIndex: number): boolean {
    return this.classOf(line) === classIndex || (this.others.get(line)?.includes(classIndex) ?? false);
  }

  /** Every class the line carries (none when unknown, blank or without class). */
  classesOf(line: number): readonly number[] {
    const first = this.classOf(line);
    return first < 0 ? [] : [first, ...(this.others.get(line) ?? [])];
  }

  confidenceOf(line: number): number {
    return this.confidences[line] ?? 0;
  }

  /** `others`: a multi-label line's classes after `classIndex`. */
  set(line: number, classIndex: number, confidence: number, others: readonly number[] = []): void {
    if (line >= this.classes.length) return;
    this.classes[line] = classIndex;
    this.confidences[line] = confidence;
    if (others.length) this.others.set(line, others);
    else this.others.delete(line);
  }

  /** An edit replaced lines start…start+removed (inclusive) by added+1 lines, whose class is unknown. */
  splice(start: number, removed: number, added: number): void {
    const grow = added - removed;
    const classes = new Int16Array(this.classes.length + grow).fill(UNKNOWN);
    const confidences = new Float32Array(classes.length);
    classes.set(this.classes.subarray(0, start));
    confidences.set(this.confidences.subarray(0, start));
    const tail = start + removed + 1;
    classes.set(this.classes.subarray(tail), tail + grow);
    confidences.set(this.confidences.subarray(tail), tail + grow);
    this.classes = classes;
    this.confidences = confidences;
    const others = new Map<number, readonly number[]>();
    this.others.forEach((list, line) => {
      if (line < start) others.set(line, list);
      else if (line >= tail) others.set(line + grow, list);
    });
    this.others = others;
  }
}

/** Whether a line of class `classIndex` with this confidence shows its label (dimmed ones do, hidden ones not). */
export type Shows = (classIndex: number, confidence: number) => boolean;

/** A span of lines (inclusive) that the overview ruler marks in one class's color. */
export interface MarkRun {
  readonly start: number;
  readonly end: number;
}

/**
 * The overview ruler's marks, per class: runs of lines where the class shows (a multi-label line counts for
 * every class it carries). Beyond `maxRows` lines, lines are
 * grouped in equal buckets (the ruler has no more pixels than that anyway), so a document of any length gives
 * at most `maxRows` runs per class.
 */
export function markRuns(classes: DocumentClasses, classCount: number, shows: Shows, maxRows: number): MarkRun[][] {
  const size = Math.max(1, Math.ceil(classes.lineCount / maxRows));
  const buckets = Math.ceil(classes.lineCount / size);
  const runs: [number, number][][] = Array.from({ length: classCount }, () => []);
  const lastBucket = new Int32Array(classCount).fill(-1);
  for (let b = 0; b < buckets; b++) {
    const to = Math.min(classes.lineCount, (b + 1) * size);
    for (let line = b * size; line < to; line++) {
      for (const c of classes.classesOf(line)) {
        if (c >= classCount || lastBucket[c] === b || !shows(c, classes.confidenceOf(line))) continue;
        lastBucket[c] = b;
        const last = runs[c][runs[c].length - 1];
        if (last && last[1] === b - 1) last[1] = b;
        else runs[c].push([b, b]);
      }
    }
  }
  return runs.map((list) =>
    list.map(([first, last]) => ({ start: first * size, end: Math.min(classes.lineCount, (last + 1) * size) - 1 })),
  );
}

/** Up to `count` lines not classified yet among the first `limit`, from the top. */
export function unknownLines(classes: DocumentClasses, limit: number, count: number): number[] {
  const lines: number[] = [];
  const end = Math.min(limit, classes.lineCount);
  for (let line = 0; line < end && lines.length < count; line++) if (classes.classOf(line) === UNKNOWN) lines.push(line);
  return lines;
}

/** How many lines of each class the document has (a line of several classes counts for each), and how many are still unknown. */
export function countByClass(classes: DocumentClasses, classCount: number, shows: Shows): { perClass: number[]; unknown: number } {
  const perClass = new Array<number>(classCount).fill(0);
  let unknown = 0;
  for (let line = 0; line < classes.lineCount; line++) {
    if (classes.classOf(line) === UNKNOWN) unknown++;
    else for (const c of classes.classesOf(line)) if (c < classCount && shows(c, classes.confidenceOf(line))) perClass[c]++;
  }
  return { perClass, unknown };
}
