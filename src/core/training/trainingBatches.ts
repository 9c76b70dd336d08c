// The small pieces of the training loop that need no network: which rows go in a batch, how much each row
// weighs, and how many of a batch the model got right.
import type { TrainOptions } from '../options';
import { shuffleInPlace } from '../random';
import type { EncodedLine } from '../text/tokenizer';

export function argmaxRow(p: Float32Array, row: number, k: number): number {
  let best = 0;
  for (let j = 1; j < k; j++) if (p[row * k + j] > p[row * k + best]) best = j;
  return best;
}

export function countCorrect(probabilities: Float32Array, targets: number[], k: number): number {
  return targets.filter((t, b) => argmaxRow(probabilities, b, k) === t).length;
}

/** 'balanced' weights each example by n / (classes × its class count), as sklearn's compute_class_weight. */
export function exampleWeights(targets: number[], classes: number, mode: TrainOptions['classWeights']): number[] {
  if (mode === 'off') return targets.map(() => 1);
  const counts = new Array(classes).fill(0);
  for (const t of targets) counts[t]++;
  return targets.map((t) => targets.length / (classes * counts[t]));
}

/**
 * Batches of similar length: shuffle, then sort within windows of 50 batches and shuffle the batches.
 * Each batch is trimmed to its longest line, which on real data (mostly short lines) saves most of the work.
 */
export function bucketBatches(
  indices: readonly number[],
  sequences: readonly EncodedLine[],
  batchSize: number,
  rng: () => number,
): number[][] {
  const order = shuffleInPlace([...indices], rng);
  const window = batchSize * 50;
  const batches: number[][] = [];
  for (let start = 0; start < order.length; start += window) {
    const chunk = order.slice(start, start + window).sort((a, b) => sequences[a].tokens.length - sequences[b].tokens.length);
    for (let b = 0; b < chunk.length; b += batchSize) batches.push(chunk.slice(b, b + batchSize));
  }
  return shuffleInPlace(batches, rng);
}
