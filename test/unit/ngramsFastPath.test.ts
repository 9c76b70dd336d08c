// The n-gram path reads code points into typed arrays and hashes without building feature strings; saved models
// depend on its ids, so it is compared with the specification's own construction (ngramFeatures: the strings,
// then fnv1a of each) and with a Map-based vocabulary on seeded fuzzed token lists and on every line of the shared
// datasets. Any disagreement fails.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRng, type Rng } from '../../src/core/random';
import { HashIndex } from '../../src/core/text/hashIndex';
import { fnv1a, ngramFeatures, ngramHashes, NgramIds, NgramVocabulary } from '../../src/core/text/ngrams';
import { DEFAULT_TOKENIZER, OOV_TOKEN, Tokenizer } from '../../src/core/text/tokenizer';

/** The hashes as the specification builds them: every feature string, then its FNV-1a. */
const specHashes = (tokens: readonly string[]) => ngramFeatures(tokens).map(fnv1a);

/** The vocabulary as it was built before the typed-array path: counts in a Map, a stable sort of its entries. */
function mapFit(lines: readonly (readonly string[])[], max: number): number[] {
  const counts = new Map<number, number>();
  for (const tokens of lines) for (const h of specHashes(tokens)) counts.set(h, (counts.get(h) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, max)
    .map(([h]) => h);
}

/** A line's ids through a Map (hash → id), stretch by stretch between unknown tokens. */
function mapEncode(ids: ReadonlyMap<number, number>, tokens: readonly string[], unknown?: string): number[] {
  const stretches: string[][] = [[]];
  for (const token of tokens) {
    if (token === unknown) stretches.push([]);
    else stretches[stretches.length - 1].push(token);
  }
  return stretches.flatMap((s) => specHashes(s).flatMap((h) => (ids.has(h) ? [ids.get(h)!] : [])));
}

// Pieces a token is made of: ASCII, Latin with accents, Cyrillic, scripts without spaces (Han, kana, Thai, Lao,
// Khmer, Myanmar), Hangul, astral characters (emoji, a Han extension), lone surrogates and U+FFFD itself.
const PIECES = [
  ...'abcxyz0189_.:@-/',
  ...['é', 'ß', 'ü', 'ж', 'щ', 'ı', 'İ'],
  ...['我', '喜', '欢', 'ひ', 'カ', 'ไ', 'ທ', 'ក', 'မ', '한'],
  ...['😀', '𠀋', '\uD800', '\uDC00', '\uFFFD', '<', '>', ' '],
];

function fuzzTokens(rng: Rng): string[] {
  const pick = <T>(items: readonly T[]) => items[Math.floor(rng() * items.length)];
  const length = Math.floor(rng() * 12);
  return Array.from({ length }, () => {
    const style = rng();
    // Whole tokens of one script, so that runs of no-space tokens form; mixed tokens; now and then an empty one.
    if (style < 0.25) return Array.from({ length: 1 + Math.floor(rng() * 3) }, () => pick(['我', '喜欢', 'ひ', 'ไทย', 'ក'])).join('');
    if (style < 0.3) return rng() < 0.5 ? '' : OOV_TOKEN;
    return Array.from({ length: 1 + Math.floor(rng() * 9) }, () => pick(PIECES)).join('');
  });
}

describe('the n-gram fast path gives the specification’s hashes and ids', () => {
  test('hashes of 20,000 fuzzed token lists', () => {
    const rng = createRng(18);
    for (let i = 0; i < 20_000; i++) {
      const tokens = fuzzTokens(rng);
      assert.deepEqual(ngramHashes(tokens), specHashes(tokens), JSON.stringify(tokens));
    }
  });

  test('fit and encode match a Map-based vocabulary, OOV stretches included', () => {
    const rng = createRng(7);
    const lines = Array.from({ length: 3000 }, () => fuzzTokens(rng));
    for (const max of [0, 1, 50, 5000, 1e9]) {
      const vocabulary = NgramVocabulary.fit(lines.slice(0, 2000), max);
      assert.deepEqual(vocabulary.hashes, mapFit(lines.slice(0, 2000), max), `max ${max}`);
      const byMap = new Map(vocabulary.hashes.map((h, i) => [h, i + 1]));
      const into = new NgramIds();
      let expectedAll: number[] = [];
      for (const tokens of lines.slice(1500)) {
        const expected = mapEncode(byMap, tokens, OOV_TOKEN);
        assert.deepEqual(vocabulary.encode(tokens, OOV_TOKEN), expected, JSON.stringify(tokens));
        assert.deepEqual(vocabulary.encode(tokens), mapEncode(byMap, tokens), JSON.stringify(tokens));
        vocabulary.encodeInto(tokens, into, OOV_TOKEN);
        expectedAll = expectedAll.concat(expected);
      }
      assert.deepEqual(Array.from(into.view()), expectedAll, 'encodeInto appends line after line');
    }
  });

  const datasets = path.resolve(__dirname, '../../../shared/datasets');
  test('every line of every shared dataset', (t) => {
    if (!fs.existsSync(datasets)) {
      t.skip(`no shared datasets at ${datasets}`);
      return;
    }
    const tokenizer = new Tokenizer(DEFAULT_TOKENIZER, ['<pad>', '<oov>']);
    let lines = 0;
    for (const name of fs.readdirSync(datasets).sort()) {
      const file = path.join(datasets, name, 'train.csv');
      if (!fs.existsSync(file)) continue;
      // Raw lines, quotes and label included; a vocabulary fitted on the first half is looked up by the second.
      const all = fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .map((line) => tokenizer.modelTokens(line));
      const half = all.slice(0, all.length >> 1);
      const vocabulary = NgramVocabulary.fit(half, 20_000);
      assert.deepEqual(vocabulary.hashes, mapFit(half, 20_000), name);
      const byMap = new Map(vocabulary.hashes.map((h, i) => [h, i + 1]));
      for (const tokens of all) {
        const expected = specHashes(tokens);
        assert.deepEqual(ngramHashes(tokens), expected, `${name}: ${JSON.stringify(tokens)}`);
        assert.deepEqual(vocabulary.encode(tokens), mapEncode(byMap, tokens));
        lines++;
      }
    }
    t.diagnostic(`${lines} lines`);
  });
});

describe('HashIndex', () => {
  test('numbers keys in order of first insertion, as a Map would, through growth', () => {
    const rng = createRng(3);
    for (const range of [50, 5000, 2 ** 32]) {
      const index = new HashIndex();
      const map = new Map<number, number>();
      for (let i = 0; i < 40_000; i++) {
        const key = Math.floor(rng() * range);
        if (!map.has(key)) map.set(key, map.size);
        assert.equal(index.insert(key), map.get(key));
      }
      assert.equal(index.size, map.size);
      assert.deepEqual(Array.from(index.keys()), [...map.keys()]);
      for (let i = 0; i < 10_000; i++) {
        const key = Math.floor(rng() * range);
        assert.equal(index.indexOf(key), map.get(key) ?? -1);
      }
    }
  });

  test('keys that share a home slot are all found (linear probing), and 0 and 2^32 − 1 are keys like any other', () => {
    const index = new HashIndex(4);
    // Multiples of 2^28 share the top bits of their Fibonacci product only by chance; these collide in a
    // 16-slot table because their products agree in the top 4 bits: found by search, not assumed.
    const home = (key: number) => Math.imul(key, 0x9e3779b1) >>> 28;
    const colliding: number[] = [];
    for (let key = 1; colliding.length < 7; key++) if (home(key) === home(1)) colliding.push(key);
    const absent = colliding.pop()!;
    const keys = [0, 0xffffffff, ...colliding];
    keys.forEach((key, i) => assert.equal(index.insert(key), i));
    keys.forEach((key, i) => assert.equal(index.indexOf(key), i, `key ${key}`));
    assert.equal(index.indexOf(absent), -1, 'a missing key with the same home slot: probed past the others to an empty slot');
    assert.equal(index.insert(0xffffffff), 1, 'a key inserted again keeps its index');
    assert.equal(index.size, keys.length);
  });
});
