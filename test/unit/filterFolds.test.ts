// The filter's folds (src/extension/labels/filterFolds.ts, no vscode) and the counts per class
// (model/documentClasses.ts): which lines each mode hides, how runs become folds that keep the line above them in
// view, the first line's exception, unknown lines kept, and a multi-label line that counts for each of its classes.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { filterFolds, hides } from '../../src/extension/labels/filterFolds';
import { BLANK, countByClass, DocumentClasses, NO_CLASS, UNKNOWN } from '../../src/extension/model/documentClasses';

const all = () => true;
const ERROR = 0;
const WARN = 1;
const DEBUG = 2;

function classesOf(list: (number | number[])[]): DocumentClasses {
  const classes = new DocumentClasses(list.length);
  list.forEach((c, line) => (Array.isArray(c) ? classes.set(line, c[0] ?? NO_CLASS, 0.9, c.slice(1)) : classes.set(line, c, 0.9)));
  return classes;
}

/** The lines a person still sees once the folds are folded. */
function visible(lineCount: number, folds: { start: number; end: number }[]): number[] {
  const hidden = new Set<number>();
  for (const f of folds) for (let l = f.start + 1; l <= f.end; l++) hidden.add(l);
  return Array.from({ length: lineCount }, (_, i) => i).filter((l) => !hidden.has(l));
}

describe('the filter: folds', () => {
  it('"only" folds each run of other lines from the visible line above it', () => {
    const classes = classesOf([ERROR, DEBUG, DEBUG, ERROR, WARN, BLANK, ERROR, DEBUG]);
    const result = filterFolds(classes, 'only', new Set([ERROR]), all);
    assert.deepEqual(result.folds, [
      { start: 0, end: 2 },
      { start: 3, end: 5 },
      { start: 6, end: 7 },
    ]);
    assert.deepEqual(visible(8, result.folds), [0, 3, 6]);
    assert.equal(result.hiddenLines, 5);
    assert.equal(result.firstLineKept, false);
  });

  it('"hide" hides the chosen classes and keeps blank lines', () => {
    const classes = classesOf([ERROR, DEBUG, BLANK, DEBUG, WARN]);
    const result = filterFolds(classes, 'hide', new Set([DEBUG]), all);
    assert.deepEqual(visible(5, result.folds), [0, 2, 4]);
  });

  it('a run from the first line keeps the first line in view, and says so', () => {
    const classes = classesOf([DEBUG, DEBUG, ERROR]);
    const result = filterFolds(classes, 'only', new Set([ERROR]), all);
    assert.deepEqual(result.folds, [{ start: 0, end: 1 }]);
    assert.deepEqual(visible(3, result.folds), [0, 2]);
    assert.equal(result.firstLineKept, true);
    assert.equal(result.hiddenLines, 1);
  });

  it('unknown lines and the cursor line stay in view', () => {
    const classes = classesOf([ERROR, DEBUG, UNKNOWN, DEBUG, DEBUG, ERROR]);
    const result = filterFolds(classes, 'only', new Set([ERROR]), all, new Set([4]));
    assert.deepEqual(visible(6, result.folds), [0, 2, 4, 5]);
    assert.equal(result.unknownLines, 1);
  });

  it('a multi-label line matches any of its classes; a line given none is hidden by "only"', () => {
    const classes = classesOf([[ERROR, WARN], [], [DEBUG], [WARN]]);
    assert.equal(hides(classes, 0, 'only', new Set([WARN]), all), false);
    assert.equal(hides(classes, 1, 'only', new Set([WARN]), all), true);
    assert.equal(hides(classes, 1, 'hide', new Set([WARN]), all), false);
    assert.deepEqual(visible(4, filterFolds(classes, 'only', new Set([WARN]), all).folds), [0, 3]);
  });

  it('a class whose labels do not show (low confidence, hidden) does not count', () => {
    const classes = classesOf([ERROR, ERROR]);
    classes.set(1, ERROR, 0.2);
    const confident = (_: number, confidence: number) => confidence >= 0.5;
    assert.deepEqual(visible(2, filterFolds(classes, 'only', new Set([ERROR]), confident).folds), [0]);
  });
});

describe('lines per class', () => {
  it('counts each class, a multi-label line for each of its classes, and the unknown lines', () => {
    const classes = classesOf([ERROR, [ERROR, WARN], [], BLANK, UNKNOWN, DEBUG]);
    assert.deepEqual(countByClass(classes, 3, all), { perClass: [2, 1, 1], unknown: 1 });
  });

  it('an edit moves a multi-label line with the lines after it', () => {
    const classes = classesOf([ERROR, [ERROR, WARN], DEBUG]);
    classes.splice(0, 0, 2); // two lines typed at the end of line 0
    assert.deepEqual(classes.classesOf(3), [ERROR, WARN]);
    assert.equal(classes.has(3, WARN), true);
    assert.equal(classes.has(1, WARN), false);
  });

  it('a 100,000-line document is counted and folded in well under a second', () => {
    const classes = classesOf(Array.from({ length: 100_000 }, (_, i) => i % 3));
    const started = performance.now();
    assert.deepEqual(countByClass(classes, 3, all).perClass, [33_334, 33_333, 33_333]);
    assert.equal(filterFolds(classes, 'hide', new Set([DEBUG]), all).folds.length, 33_333);
    assert.ok(performance.now() - started < 1_000);
  });
});
