// Small labeled data the tests make themselves: one keyword decides the class, the rest is shared noise.
import { csvRecords } from '../../src/core/format/csv';
import { createRng } from '../../src/core/random';
import type { Example } from '../../src/core/types';

import { FAST_TRAINING } from '../e2e/lib/fastTraining.mjs';

export { FAST_TRAINING };

/** FAST_TRAINING as the CLI's training flags: `--hidden-units 8 … --no-bidirectional`. */
export const FAST_TRAINING_FLAGS: readonly string[] = Object.entries(FAST_TRAINING).flatMap(([name, value]) => {
  const flag = name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  return typeof value === 'boolean' ? [value ? `--${flag}` : `--no-${flag}`] : [`--${flag}`, String(value)];
});

const NOISE = ['the', 'a', 'today', 'server', 'user', 'request', 'again', 'please', 'now', 'with', 'from', 'this'];
const KEYWORDS: Record<string, string[]> = {
  error: ['crashed', 'failed', 'exception', 'fatal'],
  info: ['started', 'connected', 'completed', 'ready'],
  warn: ['slow', 'retrying', 'deprecated', 'degraded'],
};

export function keywordExamples(count: number, seed = 1, classes = Object.keys(KEYWORDS)): Example[] {
  const rng = createRng(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(rng() * items.length)];
  return Array.from({ length: count }, (_, i) => {
    const label = classes[i % classes.length];
    const words = Array.from({ length: 2 + Math.floor(rng() * 6) }, () => pick(NOISE));
    words.splice(Math.floor(rng() * words.length), 0, pick(KEYWORDS[label]));
    return { text: words.join(' '), label, line: i + 2 };
  });
}

export function toCsv(examples: readonly Example[]): string {
  return csvRecords([['text', 'label'], ...examples.map((e) => [e.text, e.label])], '\r\n');
}

/** Rows whose label noisyKeywordExamples moves to the next class: 12 of 300, spread over the file. */
export const FLIPPED_ROWS: readonly number[] = Array.from({ length: 12 }, (_, i) => 7 + i * 23);

/** keywordExamples with the labels of the `flipped` rows moved to the next class: the errors a label check must find. */
export function noisyKeywordExamples(count = 300, flipped = FLIPPED_ROWS): Example[] {
  const examples = keywordExamples(count, 3);
  const classes = Object.keys(KEYWORDS);
  for (const i of flipped) examples[i] = { ...examples[i], label: classes[(classes.indexOf(examples[i].label) + 1) % classes.length] };
  return examples;
}

const COLOR_NOISE = ['the', 'server', 'user', 'request', 'again', 'now', 'with', 'today'];

/** Multi-label rows with "red", "blue" or both; every 10th "red" row is also "rare" (its word too): rare is never alone. */
export function colorLabelRows(count: number, seed: number): Example[] {
  const rng = createRng(seed);
  return Array.from({ length: count }, (_, i) => {
    const labels = [['red'], ['blue'], ['red', 'blue']][i % 3].slice();
    if (i % 30 === 0) labels.push('rare');
    const words = Array.from({ length: 3 + Math.floor(rng() * 4) }, () => COLOR_NOISE[Math.floor(rng() * COLOR_NOISE.length)]);
    for (const label of labels) words.splice(Math.floor(rng() * (words.length + 1)), 0, label);
    return { text: words.join(' '), label: labels.join(', '), labels, line: i + 2 };
  });
}
