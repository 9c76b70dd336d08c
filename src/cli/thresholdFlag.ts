// `--threshold <p>` of predict and eval: one probability threshold for every class of a multi-label model, in place
// of the per-class ones tuned when it was trained (to trade precision for recall, or to compare at 0.5).
import type { Classifier } from '../core/predict';
import { UsageError, type Flag } from './usage';

export const THRESHOLD_FLAG: Flag = {
  name: 'threshold',
  value: 'p',
  description: "Multi-label models: give every class whose probability is at least p (0 < p < 1) [each class's tuned threshold]",
};

/** The flag's value checked (a number strictly between 0 and 1), before any model is loaded; undefined when not given. */
export function thresholdValue(values: Record<string, unknown>, command: string): number | undefined {
  const given = values.threshold;
  if (typeof given !== 'string') return undefined;
  const p = given.trim() === '' ? NaN : Number(given);
  if (!Number.isFinite(p) || p <= 0 || p >= 1) {
    throw new UsageError(`--threshold must be a probability between 0 and 1 (exclusive), got "${given}"`, command);
  }
  return p;
}

/** `model` with every class at threshold `p`; a single-label model has no thresholds to override. */
export function withThreshold<T extends Classifier>(model: T, p: number | undefined, modelDir: string, command: string): T {
  if (p === undefined) return model;
  if (!model.shape.multiLabel) {
    throw new UsageError(`--threshold applies to multi-label models; ${modelDir} is single-label (it gives one class per text)`, command);
  }
  return { ...model, thresholds: model.labels.map(() => p) };
}
