// What the extension keeps of each labeled document's lines (src/extension/model/documentClasses.ts, no vscode):
// edits shift the lines after them and forget the edited ones, and the overview ruler's marks stay bounded
// however long the document is.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BLANK, DocumentClasses, markRuns, UNKNOWN, unknownLines } from '../../src/extension/model/documentClasses';

const all = () => true;

function classesOf(list: number[]): DocumentClasses {
  const classes = new DocumentClasses(list.length);
  list.forEach((c, line) => classes.set(line, c, 0.9));
  return classes;
}

const read = (classes: DocumentClasses) => Array.from({ length: classes.lineCount }, (_, i) => classes.classOf(i));

describe('line classes of a document', () => {
  it('an edit forgets the edited lines and moves the ones after it', () => {
    const classes = classesOf([0, 1, 2, 3, 4]);
    classes.splice(1, 0, 2); // line 1 edited, two lines typed into it (three lines where there was one)
    assert.deepEqual(read(classes), [0, UNKNOWN, UNKNOWN, UNKNOWN, 2, 3, 4]);
    classes.splice(3, 2, 0); // lines 3-5 joined into one
    assert.deepEqual(read(classes), [0, UNKNOWN, UNKNOWN, UNKNOWN, 4]);
    assert.equal(classes.confidenceOf(4), Math.fround(0.9));
  });

  it('lists the lines still unknown, from the top, up to a limit and a count', () => {
    const classes = classesOf([0, UNKNOWN, BLANK, UNKNOWN, UNKNOWN, UNKNOWN]);
    assert.deepEqual(unknownLines(classes, 6, 2), [1, 3]);
    assert.deepEqual(unknownLines(classes, 4, 10), [1, 3]);
  });

  it('marks runs of each class, line by line in a short document', () => {
    const runs = markRuns(classesOf([0, 0, 1, BLANK, 0, UNKNOWN, 1, 1]), 2, all, 2_000);
    assert.deepEqual(runs[0], [
      { start: 0, end: 1 },
      { start: 4, end: 4 },
    ]);
    assert.deepEqual(runs[1], [
      { start: 2, end: 2 },
      { start: 6, end: 7 },
    ]);
  });

  it('leaves out what the editor does not show (a hidden low-confidence label)', () => {
    const classes = classesOf([0, 0, 0]);
    classes.set(1, 0, 0.2);
    const runs = markRuns(classes, 1, (_, confidence) => confidence >= 0.5, 2_000);
    assert.deepEqual(runs[0], [
      { start: 0, end: 0 },
      { start: 2, end: 2 },
    ]);
  });

  it('a long document gives at most maxRows runs per class, and a rare class still shows', () => {
    const lines = Array.from({ length: 100_000 }, (_, i) => (i === 77_777 ? 2 : i % 2));
    const runs = markRuns(classesOf(lines), 3, all, 1_000);
    for (const list of runs) assert.ok(list.length <= 1_000, `${list.length} runs`);
    assert.deepEqual(runs[0], [{ start: 0, end: 99_999 }], 'one run over every bucket');
    assert.equal(runs[2].length, 1);
    assert.ok(runs[2][0].start <= 77_777 && runs[2][0].end >= 77_777, JSON.stringify(runs[2]));
  });
});
