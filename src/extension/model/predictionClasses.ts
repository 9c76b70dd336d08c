// A line's classes as one list whatever the model: a multi-label model gives every class at or over its
// threshold (Prediction.labels: several, or none), a single-label model its one top class. Everything that asks
// "which classes is this line?" (the filter, the counts, the density setting, LineClasses) asks here.
import type { Prediction } from '../../protocol/types';

export function classesOf(prediction: Pick<Prediction, 'label' | 'labels'>): readonly string[] {
  return prediction.labels ?? [prediction.label];
}
