// Confusion-matrix drill-down, the part that needs no VS Code: which stored validation examples belong to a
// cell, and which file a request from the page may open. The page is untrusted, so both take its numbers and
// paths as unknown and answer only from the model's own manifest.
import { isAbsolute, join, normalize } from 'node:path';
import type { ModelSummary } from '../../protocol/types';
import type { ConfusionCellExamples, ConfusionExample } from '../../protocol/webview';

/** Examples sent per cell; a cell with more says how many there are. */
export const MAX_CELL_EXAMPLES = 200;

/** The stored validation examples whose true label is labels[truth] and prediction labels[predicted]; undefined for a bad cell. */
export function confusionCellExamples(
  manifest: ModelSummary,
  truth: unknown,
  predicted: unknown,
  cap = MAX_CELL_EXAMPLES,
): ConfusionCellExamples | undefined {
  const labels = manifest.metrics.validation?.labels;
  if (!labels || !isIndex(truth, labels.length) || !isIndex(predicted, labels.length)) return undefined;
  const [label, guess] = [labels[truth], labels[predicted]];
  // In dataset order (the split shuffles them), so the list reads like the file.
  // Multi-label (a co-occurrence cell): the rows that have `label` among their labels and were given `guess`.
  const inCell = (e: NonNullable<ModelSummary['validationExamples']>[number]) =>
    e.labels ? e.labels.includes(label) && (e.predictedLabels ?? []).includes(guess) : e.label === label && e.predicted === guess;
  const matching = (manifest.validationExamples ?? [])
    .filter(inCell)
    .sort((a, b) => (a.file ?? '').localeCompare(b.file ?? '') || a.line - b.line);
  const examples = matching.slice(0, cap).map(({ text, label, labels, predicted, predictedLabels, line, file }): ConfusionExample => {
    // A multi-label row lists every true and given label, joined as Example.label joins them.
    const shown = labels ? { label: labels.join(', '), predicted: (predictedLabels ?? []).join(', ') } : { label, predicted };
    return file === undefined ? { text, ...shown, line } : { text, ...shown, line, file };
  });
  return { runId: manifest.runId, truth, predicted, examples, total: matching.length, shown: examples.length };
}

/**
 * The file and 1-based line to open for an example the page names, or undefined when the request is not one of
 * the model's stored validation examples: the page can only open the dataset (or, for a folder dataset, one of
 * its example files) at a record's line, never an arbitrary path.
 */
export function exampleLocation(
  manifest: ModelSummary,
  line: unknown,
  file: unknown,
  workspaceFolder?: string,
): { path: string; line: number } | undefined {
  if (!isIndex(line, Infinity) || line < 1) return undefined;
  if (file !== undefined && typeof file !== 'string') return undefined;
  const stored = (manifest.validationExamples ?? []).find((e) => e.line === line && e.file === file);
  if (!stored) return undefined;
  const path = stored.file ?? (manifest.dataset.format === 'folder' ? undefined : manifest.dataset.path);
  if (!path) return undefined;
  // The CLI records the path as it was given; a relative one is relative to where it ran, most likely the workspace.
  return { path: isAbsolute(path) || !workspaceFolder ? normalize(path) : join(workspaceFolder, path), line };
}

function isIndex(value: unknown, length: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < length;
}
