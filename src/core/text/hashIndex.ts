// Numbers 32-bit keys (n-gram hashes) in order of first insertion: an open-addressing table over typed arrays,
// linear probing, a power-of-two capacity kept at most half full. A Map<number, number> does the same job with
// a heap object per entry; a model's n-gram vocabulary has 200,000 of them, looked up ~170 times a log line.

const EMPTY = -1;
const MIN_CAPACITY = 16;

export class HashIndex {
  /** Slot → index of the key there (EMPTY when none). */
  private slots: Int32Array;
  /** Index → key, in order of insertion. */
  private keyList: Uint32Array;
  private count = 0;
  /** 32 − log2(capacity): a key's home slot is the top bits of its Fibonacci product. */
  private shift: number;

  constructor(expected = 0) {
    let capacity = MIN_CAPACITY;
    while (capacity < expected * 2) capacity *= 2;
    this.slots = new Int32Array(capacity).fill(EMPTY);
    this.keyList = new Uint32Array(Math.max(expected, MIN_CAPACITY / 2));
    this.shift = 32 - Math.log2(capacity);
  }

  /** Keys held. */
  get size(): number {
    return this.count;
  }

  /** The key inserted `index`-th. */
  keyAt(index: number): number {
    return this.keyList[index];
  }

  /** The keys in order of insertion. */
  keys(): Uint32Array {
    return this.keyList.subarray(0, this.count);
  }

  /** The index of `key`, or −1 when it was never inserted. */
  indexOf(key: number): number {
    const mask = this.slots.length - 1;
    // Fibonacci hashing spreads keys whose low bits agree (FNV-1a's low bits are its weakest).
    for (let slot = Math.imul(key, 0x9e3779b1) >>> this.shift; ; slot = (slot + 1) & mask) {
      const index = this.slots[slot];
      if (index === EMPTY || this.keyList[index] === key >>> 0) return index;
    }
  }

  /** The index of `key`, inserting it (as the next index) when it is new. */
  insert(key: number): number {
    const unsigned = key >>> 0;
    const mask = this.slots.length - 1;
    let slot = Math.imul(unsigned, 0x9e3779b1) >>> this.shift;
    for (; ; slot = (slot + 1) & mask) {
      const index = this.slots[slot];
      if (index === EMPTY) break;
      if (this.keyList[index] === unsigned) return index;
    }
    const index = this.count++;
    if (index === this.keyList.length) {
      const grown = new Uint32Array(this.keyList.length * 2);
      grown.set(this.keyList);
      this.keyList = grown;
    }
    this.keyList[index] = unsigned;
    if (this.count * 2 > this.slots.length) this.rehash(this.slots.length * 2);
    else this.slots[slot] = index;
    return index;
  }

  /** Doubles the table and places every key again (the keys' indices do not change). */
  private rehash(capacity: number): void {
    this.slots = new Int32Array(capacity).fill(EMPTY);
    this.shift = 32 - Math.log2(capacity);
    const mask = capacity - 1;
    for (let index = 0; index < this.count; index++) {
      let slot = Math.imul(this.keyList[index], 0x9e3779b1) >>> this.shift;
      while (this.slots[slot] !== EMPTY) slot = (slot + 1) & mask;
      this.slots[slot] = index;
    }
  }
}
