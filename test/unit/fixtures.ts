// Small labeled data the tests make themselves: one keyword decides the class, the rest is shared noise.
import { csvRecords } from '../../src/core/format/csv';
import { createRng } from '../../src/core/random';
import type { Example } from '../../src/core/types';

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
