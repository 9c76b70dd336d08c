// Train/validation split that keeps each class's share, so a rare class is not missing from either side.

import { createRng, shuffleInPlace } from '../random';

export interface Split {
  train: number[];
  validation: number[];
}

/**
 * Indices into `labels`. Each class sends round(n * fraction) examples to validation, but keeps at
 * least one in train (the model must see every class) and, when n >= 2 and fraction > 0, at least one
 * in validation (so every class is measured). Same seed, same split.
 */
export function stratifiedSplit(labels: readonly number[], validationFraction: number, seed: number): Split {
  const rng = createRng(seed);
  const train: number[] = [];
  const validation: number[] = [];
  for (const members of groupByClass(labels)) {
    shuffleInPlace(members, rng);
    const held = validationCount(members.length, validationFraction);
    validation.push(...members.slice(0, held));
    train.push(...members.slice(held));
  }
  // Classes were appended one after another; mix them so training batches are not sorted by class.
  shuffleInPlace(train, rng);
  return { train, validation };
}

function validationCount(n: number, fraction: number): number {
  if (fraction <= 0 || n < 2) return 0;
  return Math.min(n - 1, Math.max(1, Math.round(n * fraction)));
}

/** Indices of each class, classes in order of their first index so the result does not depend on label values. */
function groupByClass(labels: readonly number[]): number[][] {
  const groups = new Map<number, number[]>();
  labels.forEach((label, index) => {
    const group = groups.get(label);
    if (group) group.push(index);
    else groups.set(label, [index]);
  });
  return [...groups.values()];
}
