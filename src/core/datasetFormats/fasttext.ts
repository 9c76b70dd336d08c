// fastText's supervised format: `__label__spam some text`. A line may carry several labels; we
// take the first, since a Textcat model predicts one class per line.

import type { Example } from '../types';
import { numberedLines } from './lines';
import { ExampleCollector } from './table';

export const FASTTEXT_PREFIX = '__label__';
const LEADING_LABELS = /^(?:__label__\S*\s*)+/;

export async function readFastText(chunks: AsyncIterable<Uint8Array>): Promise<{ examples: Example[]; warnings: string[] }> {
  const collector = new ExampleCollector();
  for await (const { text, line } of numberedLines(chunks)) {
    if (text.trim() === '') continue;
    // A line without a label is counted with the empty ones rather than failing the whole file.
    const example = splitFastTextLine(text);
    collector.add(example.text, example.label, line);
  }
  return { examples: collector.examples, warnings: collector.warnings() };
}

/** The first label of a line ('' when it has none) and its text without the leading labels (what predict labels). */
export function splitFastTextLine(line: string): { label: string; text: string } {
  const trimmed = line.trim();
  const label = trimmed.startsWith(FASTTEXT_PREFIX) ? trimmed.split(/\s/, 1)[0].slice(FASTTEXT_PREFIX.length) : '';
  return { label, text: trimmed.replace(LEADING_LABELS, '') };
}
