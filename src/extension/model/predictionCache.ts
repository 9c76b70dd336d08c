// Predictions of the current model keyed by line text. A Map keeps insertion order, so re-inserting on
// a hit and evicting the first key makes it an LRU: scrolling back and forth costs the worker nothing.
// The hover keeps its explanations in one too (the value type is the only difference).
import type { Prediction } from '../../protocol/types';

export class PredictionCache<V = Prediction> {
  private readonly entries = new Map<string, V>();

  constructor(private readonly capacity = 20_000) {}

  get size(): number {
    return this.entries.size;
  }

  get(text: string): V | undefined {
    const hit = this.entries.get(text);
    if (hit) {
      this.entries.delete(text);
      this.entries.set(text, hit);
    }
    return hit;
  }

  /** Without touching the recency (hover, export). */
  peek(text: string): V | undefined {
    return this.entries.get(text);
  }

  set(text: string, prediction: V): void {
    this.entries.delete(text);
    this.entries.set(text, prediction);
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }

  clear(): void {
    this.entries.clear();
  }
}
