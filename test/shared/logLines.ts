// Generated log lines for the Dask example's parity test and its benchmark: a small labeled training set (one
// keyword decides the level) and distinct unlabeled lines to label, with the things a real log holds (numbers,
// hosts, paths, e-mail addresses, "key:value" words, some Chinese) so both tokenizers meet them.
import { createRng } from '../../src/core/random';

const LEVELS: Record<string, string[]> = {
  error: ['crashed', 'failed', 'exception', 'refused', '崩溃'],
  info: ['started', 'connected', 'completed', 'accepted', '完成'],
  warn: ['slow', 'retrying', 'degraded', 'throttled', '重试'],
};
const SUBJECTS = ['worker', 'request', 'job', 'session', 'upload', 'query', 'backup', 'cache', '服务器', '用户'];
const EXTRAS = ['after', 'for', 'on', 'with', 'from', 'user', 'again', 'now', 'today', 'retry'];

/** `text,label` rows, about a third of each level. */
export function trainingCsv(rows: number, seed = 7): string {
  const rng = createRng(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(rng() * items.length)];
  const out = ['text,label'];
  for (let i = 0; i < rows; i++) {
    const level = Object.keys(LEVELS)[i % 3];
    const words = [pick(SUBJECTS), pick(LEVELS[level]), ...Array.from({ length: Math.floor(rng() * 4) }, () => pick(EXTRAS))];
    out.push(`${words.join(' ')},${level}`);
  }
  return `${out.join('\n')}\n`;
}

/**
 * `count` distinct log lines (each has its sequence number). One in `variantEvery` holds a word that ICUs
 * before 77 split differently (letters around ':' or an e-mail address, docs/tokenizer.md "ICU versions").
 */
export function logLines(count: number, seed = 11, variantEvery = 50): string[] {
  const rng = createRng(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(rng() * items.length)];
  const levels = Object.keys(LEVELS);
  return Array.from({ length: count }, (_, i) => {
    const level = pick(levels);
    const host = `node-${Math.floor(rng() * 40)}`;
    const extra = Array.from({ length: Math.floor(rng() * 6) }, () => pick(EXTRAS)).join(' ');
    const variant = i % variantEvery === 7 ? (i % 2 ? ' re:build ops@example.com' : ' EU:n') : '';
    const ms = Math.floor(rng() * 5000);
    return `2024-05-01T12:${String(i % 60).padStart(2, '0')}:07Z ${host}${variant} #${i} ${pick(SUBJECTS)} ${pick(LEVELS[level])} ${extra} in ${ms}ms /var/lib/app/${i % 97}.db`;
  });
}

/** Whether a line holds one of the words that ICUs before 77 split differently. */
export function isIcuVariantLine(text: string): boolean {
  return /\p{L}:\p{L}|\p{L}@\p{L}/u.test(text);
}
