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
 * The most uncertain first: the smallest margin, or the largest entropy. Ties keep the input order (file
 * order), since Array.prototype.sort is stable.
 */
export function sortByUncertainty<T extends { readonly probabilities: readonly number[] }>(
  items: readonly T[],
  measure: UncertaintyMeasure,
): T[] {
  const score = measure === 'margin' ? (x: T) => margin(x.probabilities) : (x: T) => -entropy(x.probabilities);
  return items
    .map((item) => ({ item, s: score(item) }))
    .sort((a, b) => a.s - b.s)
    .map(({ item }) => item);
}
