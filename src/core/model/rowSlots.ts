// Numbering a batch's distinct table rows in order of first appearance: the wide path's gather (wide.ts), the sum
// of the threads' row-sparse gradients (parallel.ts) and the baseline's Adam step (wideTrainer.ts) each need it for
// a few thousand rows a step. A typed array indexed by row holds each row's slot (−1: not numbered) and is reset
// after each use, in `finally`, so a failure halfway cannot leave rows numbered for the next batch; a Map or a
// growing list per step was most of a training step's garbage.

export class RowSlots {
  private slotOfRow = new Int32Array(0);
  private rows = new Int32Array(0);
  private busy = false;
  /** Distinct rows numbered so far in this use. */
  count = 0;

  /**
   * Runs `body` with the numbering empty, for rows under `tableRows` and at most `most` distinct ones, then
   * forgets every row it numbered. Not reentrant.
   */
  use<T>(tableRows: number, most: number, body: (slots: RowSlots) => T): T {
    if (this.busy) throw new Error('RowSlots.use is not reentrant');
    if (this.slotOfRow.length < tableRows) this.slotOfRow = new Int32Array(Math.max(tableRows, this.slotOfRow.length * 2)).fill(-1);
    if (this.rows.length < most) this.rows = new Int32Array(Math.max(most, this.rows.length * 2));
    this.busy = true;
    this.count = 0;
    try {
      return body(this);
    } finally {
      for (let s = 0; s < this.count; s++) this.slotOfRow[this.rows[s]] = -1;
      this.count = 0;
      this.busy = false;
    }
  }

  /** The row's slot: its number if already seen in this use, else the next one. */
  slotOf(row: number): number {
    let slot = this.slotOfRow[row];
    if (slot < 0) {
      slot = this.slotOfRow[row] = this.count;
      this.rows[this.count++] = row;
    }
    return slot;
  }

  /**
   * slotOf for ids[start … end), written to out[at …]: the loop of a training step (thousands of ids), with the
   * arrays held in locals, as slotOf called per id was measurably slower in the baseline's steps.
   */
  slotsOf(ids: Int32Array, start: number, end: number, out: Int32Array, at: number): void {
    const { slotOfRow, rows } = this;
    let count = this.count;
    for (let i = start; i < end; i++) {
      const row = ids[i];
      let slot = slotOfRow[row];
      if (slot < 0) {
        slot = slotOfRow[row] = count;
        rows[count++] = row;
      }
      out[at + i - start] = slot;
    }
    this.count = count;
  }

  /** The rows numbered so far, in slot order: a view, valid until `use` returns. */
  distinct(): Int32Array {
    return this.rows.subarray(0, this.count);
  }
}
