// The order in which the filter's folds are made (src/extension/labels/foldPlan.ts, no vscode): the folds that
// fill the screen first (the one at the top line last, since VS Code scrolls to the last fold a command makes),
// then those below it, then those above it nearest first; every fold exactly once.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { batches, visibleFirst } from '../../src/extension/labels/foldPlan';

/** Every other line hidden, as in a badly fragmented log: folds (0,1), (2,3), (4,5)… */
const fragmented = (count: number) => Array.from({ length: count }, (_, i) => ({ start: 2 * i, end: 2 * i + 1 }));

describe('the filter: folds in view first', () => {
  it('takes the folds that fill three screens around the top line, then those below, then those above nearest first', () => {
    const folds = fragmented(1_000); // lines 0…1999
    const plan = visibleFirst(folds, 1_000, 50);
    // One screen above the top line (from line 950) and 150 shown lines: each fold shows one line.
    assert.equal(plan.screen[0].start, 950);
    assert.equal(plan.screen.length, 150);
    // VS Code scrolls to the last fold a command makes: the screen ends with the fold at the top line.
    assert.deepEqual(plan.screen[plan.screen.length - 1], { start: 1_000, end: 1_001 });
    const lowest = plan.screen.reduce((a, b) => (b.start > a.start ? b : a));
    assert.deepEqual(plan.rest[0], { start: lowest.start + 2, end: lowest.end + 2 }, 'below the screen comes next');
    assert.deepEqual(plan.rest[plan.rest.length - 1], { start: 0, end: 1 }, 'the top of the file comes last');
    const below = plan.rest.findIndex((f) => f.start < 950);
    assert.deepEqual(plan.rest[below], { start: 948, end: 949 }, 'above the screen, the nearest first');
  });

  it('counts a long fold as the one line it shows: a screen of runs takes few folds', () => {
    // Runs of 100 hidden lines between single shown lines: 3 screens of 50 lines need 150 folds either way,
    // but the lines they cover are far more than 150.
    const folds = Array.from({ length: 400 }, (_, i) => ({ start: 101 * i, end: 101 * i + 100 }));
    const plan = visibleFirst(folds, 0, 50);
    assert.equal(plan.screen.length, 150);
    assert.equal(plan.rest.length, 250);
  });

  it('the lines between folds count too: with few folds the screen takes them all', () => {
    const folds = [
      { start: 10, end: 12 },
      { start: 500, end: 600 },
    ];
    const plan = visibleFirst(folds, 0, 50);
    // Lines 0…10 and the first fold show 11 lines; up to line 500 another 488: three screens are full there.
    assert.deepEqual(plan.screen, [folds[1], folds[0]], 'the fold at the top line last');
    assert.deepEqual(plan.rest, []);
  });

  it('keeps every fold exactly once, wherever the screen is', () => {
    const folds = fragmented(777);
    for (const top of [0, 1, 700, 1_553, 5_000]) {
      const plan = visibleFirst(folds, top, 40);
      const all = [...plan.screen, ...plan.rest].map((f) => f.start).sort((a, b) => a - b);
      assert.deepEqual(
        all,
        folds.map((f) => f.start),
        `top ${top}`,
      );
    }
    assert.deepEqual(visibleFirst([], 10, 40), { screen: [], rest: [] });
  });

  it('cuts a list into batches of a size, in order', () => {
    assert.deepEqual(batches([1, 2, 3, 4, 5], 2), [[1, 2], [3, 4], [5]]);
    assert.deepEqual(batches([], 2), []);
  });
});
