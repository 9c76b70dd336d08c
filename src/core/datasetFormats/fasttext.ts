// fastText's supervised format: `__label__spam some text`. A line may carry several labels: then the
// dataset is multi-label (unless read as single-label, which takes the first label of each line).

import type { ReadDatasetOptions } from '../types';
import { ExampleCollector, type CollectedExamples } from './collector';
import { numberedLines } from './lines';

export const FASTTEXT_PREFIX = '__label__';
const LEADING_LABELS = /^(?:__label__\S*\s*)+/;

export async function readFastText(
  chunks: AsyncIterable<Uint8Array>,
  options: Pick<ReadDatasetOptions, 'multiLabel'> = {},
): Promise<CollectedExamples> {
  const collector = new ExampleCollector({ multiLabel: options.multiLabel });
  for await (const { text, line } of numberedLines(chunks)) {
    if (text.trim() === '') continue;
    // A line without a label is counted with the empty ones rather than failing the whole file.
    const trimmed = text.trim();
    const head = LEADING_LABELS.exec(trimmed)?.[0] ?? '';
    collector.add(trimmed.slice(head.length), leadingLabels(head), line);
  }
  return collector.finish();
}

/** The label of each __label__ token in a line's leading run of them, in order ('' for a bare __label__). */
function leadingLabels(head: string): string[] {
  return head
    .split(/\s+/)
    .filter((token) => token !== '')
    .map((token) => token.slice(FASTTEXT_PREFIX.length));
}

/** The first label of a line ('' when it has none) and its text without the leading labels (what predict labels). */
export function splitFastTextLine(line: string): { label: string; text: string } {
  const trimmed = line.trim();
  const label = trimmed.startsWith(FASTTEXT_PREFIX) ? trimmed.split(/\s/, 1)[0].slice(FASTTEXT_PREFIX.length) : '';
  return { label, text: trimmed.replace(LEADING_LABELS, '') };
}
