// What the review list says a model gave a line. Pure (no vscode import), so a unit test reads it.
import { percent } from '../../core/format/percent';

/** The dash a multi-label line with no label over its threshold shows. */
export const NO_LABEL = '—';

/**
 * A single-label model's class and its probability; a multi-label model's labels over their thresholds (most probable
 * first), or NO_LABEL: its top class alone would name a label the line was not given and hide the others it was.
 */
export function reviewPrediction(review: {
  readonly label: string;
  readonly confidence: number;
  readonly labels?: readonly string[];
}): string {
  if (review.labels) return review.labels.length ? review.labels.join(', ') : NO_LABEL;
  return `${review.label} ${percent(review.confidence)}`;
}
