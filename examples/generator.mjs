// What both example generators share: seeded randomness, unique rows, and writing train/test/sample files.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

/** --seed, --train and --test from the command line, with the generator's defaults. */
export function generatorArgs(defaults) {
  const { values } = parseArgs({
    options: Object.fromEntries(Object.entries(defaults).map(([name, value]) => [name, { type: 'string', default: String(value) }])),
  });
  return Object.fromEntries(Object.entries(values).map(([name, value]) => [name, Number(value)]));
}

/** mulberry32: small, fast, and the same on every platform (as src/core/random.ts). */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * n rows, classes in rotation, none already in `seen` (so train, test and sample stay disjoint), then
 * shuffled (Fisher–Yates) so the classes are interleaved.
 */
export function uniqueRows(n, seen, labels, makeText, random) {
  const out = [];
  while (out.length < n) {
    const label = labels[out.length % labels.length];
    const text = makeText(label);
    if (seen.has(text)) continue;
    seen.add(text);
    out.push({ text, label });
  }
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** RFC 4180: quote a field that holds a comma, a quote or a line break, doubling inner quotes. */
const csvField = (s) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
const toCsv = (list) => `text,label\r\n${list.map((r) => `${csvField(r.text)},${csvField(r.label)}\r\n`).join('')}`;

export function writeExample(dir, { train, test, sample }) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'train.csv'), toCsv(train));
  writeFileSync(join(dir, 'test.csv'), toCsv(test));
  writeFileSync(join(dir, 'sample.txt'), `${sample.join('\n')}\n`);
  console.log(`wrote ${train.length} train, ${test.length} test and ${sample.length} sample lines to ${dir}`);
}
