// RowSlots numbers a batch's distinct table rows for the wide path, the threads' gradient sums and the baseline:
// slots in order of first appearance, and nothing left numbered after a use, even one that failed halfway.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RowSlots } from '../../src/core/model/rowSlots';

test('rows are numbered in order of first appearance, a repeated row keeps its slot', () => {
  const slots = new RowSlots();
  const got = slots.use(10, 6, (numbering) => {
    const numbered = [7, 2, 7, 9, 2, 0].map((row) => numbering.slotOf(row));
    return { numbered, distinct: Array.from(numbering.distinct()), count: numbering.count };
  });
  assert.deepEqual(got, { numbered: [0, 1, 0, 2, 1, 3], distinct: [7, 2, 9, 0], count: 4 });
  // slotsOf gives the same slots for a range of ids, continuing the numbering of slotOf.
  const ranged = slots.use(10, 8, (numbering) => {
    numbering.slotOf(4);
    const out = new Int32Array(8).fill(-9);
    numbering.slotsOf(Int32Array.from([1, 7, 2, 7, 9, 2, 0, 4]), 1, 7, out, 2);
    return { out: Array.from(out), distinct: Array.from(numbering.distinct()) };
  });
  assert.deepEqual(ranged, { out: [-9, -9, 1, 2, 1, 3, 2, 4], distinct: [4, 7, 2, 9, 0] });
});

test('each use starts empty, also after a use whose body threw, and the table grows for larger rows', () => {
  const slots = new RowSlots();
  assert.throws(
    () =>
      slots.use(10, 4, (numbering) => {
        numbering.slotOf(5);
        numbering.slotOf(3);
        throw new Error('halfway');
      }),
    /halfway/,
  );
  // Rows 5 and 3 were forgotten: here they are new again, numbered from 0.
  assert.deepEqual(
    slots.use(100, 3, (numbering) => [3, 99, 5].map((row) => numbering.slotOf(row))),
    [0, 1, 2],
  );
  assert.equal(slots.count, 0);
});

test('a use inside a use is refused rather than renumbering the outer one', () => {
  const slots = new RowSlots();
  assert.throws(() => slots.use(4, 4, () => slots.use(4, 4, () => 0)), /not reentrant/);
  assert.equal(
    slots.use(4, 1, (numbering) => numbering.slotOf(1)),
    0,
  );
});
