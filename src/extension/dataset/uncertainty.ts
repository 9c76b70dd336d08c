// How unsure the model is about a line, and the order the review list shows lines in. Pure functions (no
// vscode import), so the unit tests check the orders on hand-made probabilities.

export type UncertaintyMeasure = 'margin' | 'entropy';

/** Top probability minus the second one: 0 means a coin toss between two classes. */
export function margin(probabilities: readonly number[]): number {
  let first = -Infinity;
  let second = -Infinity;
  for (const p of probabilities) {
    if (p > first) {
      second = first;
      first = p;
    } else if (p > second) second = p;
  }
  return second === -Infinity ? 1 : first - second;
}

/** Shannon entropy in nats: 0 for a certain prediction, ln K for a uniform one. */
export function entropy(probabilities: readonly number[]): number {
  let h = 0;
  for (const p of probabilities) if (p > 0) h -= p * Math.log(p);
  return h;
}

/**
 * A multi-label model decides each class on its own (sigmoid against the class's threshold), so "a coin toss"
 * is a class whose probability is near its threshold: the margin is the smallest such distance, doubled so
 * that 0…1 reads as for a single-label model.
 */
export function multiLabelMargin(probabilities: readonly number[], thresholds: readonly number[]): number {
  let closest = 0.5;
  probabilities.forEach((p, k) => (closest = Math.min(closest, Math.abs(p - (thresholds[k] ?? 0.5)))));
  return 2 * closest;
}

/** Multi-label: the sum of every class's binary entropy, in nats (each class is a yes/no question). */
export function multiLabelEntropy(probabilities: readonly number[]): number {
  let h = 0;
  for (const p of probabilities) if (p > 0 && p < 1) h -= p * Math.log(p) + (1 - p) * Math.log(1 - p);
  return h;
}

/**
 * The most uncertain first: the smallest margin, or the largest entropy (a multi-label model's, given its
 * `thresholds`). Ties keep the input order (file order), since Array.prototype.sort is stable.
 */
export function sortByUncertainty<T extends { readonly probabilities: readonly number[] }>(
  items: readonly T[],
  measure: UncertaintyMeasure,
  thresholds?: readonly number[],
): T[] {
  const marginOf = (x: T) => (thresholds ? multiLabelMargin(x.probabilities, thresholds) : margin(x.probabilities));
  const entropyOf = (x: T) => (thresholds ? multiLabelEntropy(x.probabilities) : entropy(x.probabilities));
  const score = measure === 'margin' ? marginOf : (x: T) => -entropyOf(x);
  return items
    .map((item) => ({ item, s: score(item) }))
    .sort((a, b) => a.s - b.s)
    .map(({ item }) => item);
}
