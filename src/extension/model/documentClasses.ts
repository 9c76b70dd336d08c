// The class the model gave each line of one document, and the marks the overview ruler shows for them. Plain
// data, no vscode: two typed arrays (6 bytes a line), so a big log costs little to keep and to walk.

/** Not classified yet. */
export const UNKNOWN = -1;
/** Blank: nothing to classify. */
export const BLANK = -2;

export class DocumentClasses {
  private classes: Int16Array;
  private confidences: Float32Array;

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

  confidenceOf(line: number): number {
    return this.confidences[line] ?? 0;
  }

  set(line: number, classIndex: number, confidence: number): void {
    if (line >= this.classes.length) return;
    this.classes[line] = classIndex;
    this.confidences[line] = confidence;
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
 * The overview ruler's marks, per class: runs of lines where the class shows. Beyond `maxRows` lines, lines are
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
      const c = classes.classOf(line);
      if (c < 0 || c >= classCount || lastBucket[c] === b || !shows(c, classes.confidenceOf(line))) continue;
      lastBucket[c] = b;
      const last = runs[c][runs[c].length - 1];
      if (last && last[1] === b - 1) last[1] = b;
      else runs[c].push([b, b]);
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
