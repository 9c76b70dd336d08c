// textcat.labels.show: which lines draw their label, and which the overview ruler marks. The ruler follows the
// setting except for "activeLine": with one label on screen, the ruler is where the others still show.
import type { Settings } from '../model/settings';
import type { Shows } from '../model/documentClasses';

type LabelOptions = Settings['labels'];

/** Whether a line of these classes and confidence draws its label; `active`: the cursor is on it. */
export function drawsLabel(options: LabelOptions, classes: readonly string[], confidence: number, active: boolean): boolean {
  switch (options.show) {
    case 'activeLine':
      return active;
    case 'uncertain':
      return confidence < options.minConfidence;
    case 'classes':
      return classes.some((c) => options.classes.includes(c));
    default:
      return true;
  }
}

/** The overview ruler's rule for a model with these labels (class index and confidence of each line). */
export function rulerShows(options: LabelOptions, labels: readonly string[]): Shows {
  const { minConfidence, lowConfidence, show } = options;
  const wanted = new Set(options.classes);
  if (show === 'uncertain') return (_, confidence) => confidence < minConfidence;
  const confident: Shows = (_, confidence) => confidence >= minConfidence || lowConfidence === 'dim';
  if (show === 'classes') return (c, confidence) => wanted.has(labels[c]) && confident(c, confidence);
  return confident;
}
