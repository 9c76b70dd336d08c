// The n-gram features as ngrams.ts specifies them for other consumers of a model: which strings, their FNV-1a
// hashes, the vocabulary's order, and the ids a line gets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fnv1a, mostFrequentFirst, ngramFeatures, ngramHashes, NgramVocabulary } from '../../src/core/text/ngrams';
import { OOV, OOV_TOKEN, Tokenizer } from '../../src/core/text/tokenizer';

test('features: word unigrams and bigrams, character 1-3-grams of runs in scripts without spaces, subwords of other tokens', () => {
  const features = ngramFeatures(['我', '喜欢', 'tea', '吃饭']);
  const expected = [
    ...['我', '喜欢', 'tea', '吃饭'],
    ...['我 喜欢', '喜欢 tea', 'tea 吃饭'],
    // The run 我喜欢 (tea ends it), then the run 吃饭.
    ...['我', '我喜', '我喜欢', '喜', '喜欢', '欢'],
    ...['吃', '吃饭', '饭'],
    // 3 to 5 code points of <tea>, but not <tea> itself.
    ...['<te', 'tea', 'ea>', '<tea', 'tea>'],
  ];
  assert.deepEqual([...features].sort(), [...expected].sort());
  assert.deepEqual(ngramFeatures(['ok', 'a']), ['ok', 'a', 'ok a', '<ok', 'ok>'], 'a one-letter token has no subword');
  assert.deepEqual(ngramFeatures(['😀x']), ['😀x', '<😀x', '😀x>'], 'code points, not UTF-16 units');
  assert.deepEqual(ngramFeatures([]), []);
});

test('hashes are 32-bit FNV-1a over UTF-8, computed without building the strings', () => {
  // Published FNV-1a 32 values.
  assert.equal(fnv1a(''), 0x811c9dc5);
  assert.equal(fnv1a('a'), 0xe40c292c);
  assert.equal(fnv1a('foobar'), 0xbf9cf968);
  // Multi-byte characters hash their UTF-8 bytes, as a byte-wise implementation elsewhere would.
  const bytewise = (text: string) => Buffer.from(text, 'utf8').reduce((h, b) => Math.imul(h ^ b, 0x01000193) >>> 0, 0x811c9dc5);
  for (const text of ['ü', '我喜欢', '😀 x', 'a b']) assert.equal(fnv1a(text), bytewise(text), text);
  const tokens = ['我', '喜欢', 'tea', '😀', '吃饭', 'tea', 'crashed', '😀x'];
  assert.deepEqual(ngramHashes(tokens), ngramFeatures(tokens).map(fnv1a));
});

test('the vocabulary keeps the most frequent n-grams, ties in order of first appearance; ids start at 1', () => {
  const lines = [
    ['a', 'b'],
    ['b', 'c'],
    ['b', 'a'],
  ];
  // Counts: b 3, a 2, then a b / c / b c / b a once each (in that order of appearance).
  const vocabulary = NgramVocabulary.fit(lines, 4);
  assert.deepEqual(vocabulary.hashes, ['b', 'a', 'a b', 'c'].map(fnv1a));
  assert.equal(vocabulary.rows, 5);
  // Known features, once per occurrence; unknown ones ('d', 'b d', 'b c' cut by the cap) left out.
  assert.deepEqual(vocabulary.encode(['a', 'b', 'd', 'b']), [2, 1, 1, 3]);
  assert.deepEqual(vocabulary.encode(['d']), []);
});

test('a tokenizer with n-grams encodes both inputs, keeps them through JSON, and an occluded token drops its n-grams', () => {
  const words = Tokenizer.fit(['the server crashed', 'the user connected'], { maxLength: 8 });
  const tokens = ['the', 'server', 'crashed'];
  const vocabulary = NgramVocabulary.fit([tokens], 1000);
  const tokenizer = words.withNgrams(vocabulary);
  const line = tokenizer.encodeLine('The server crashed');
  assert.deepEqual(line.tokens, words.encode('The server crashed'));
  assert.equal(line.ngrams.length, ngramFeatures(tokens).length, 'every feature of a training line is known');
  const back = Tokenizer.fromJSON(JSON.parse(JSON.stringify(tokenizer.toJSON())));
  assert.deepEqual(back.encodeLine('The server crashed'), line);
  assert.deepEqual(Tokenizer.fromJSON(JSON.parse(JSON.stringify(words.toJSON()))).encodeLine('the server').ngrams, []);
  // "server" unknown: its unigram, its subwords and both bigrams go; the other tokens' features stay.
  const occluded = tokenizer.encodeTokens(['the', OOV_TOKEN, 'crashed']);
  assert.equal(occluded.tokens[1], OOV);
  const idOf = (feature: string) => vocabulary.hashes.indexOf(fnv1a(feature)) + 1;
  const kept = [...ngramFeatures(['the']), ...ngramFeatures(['crashed'])].map(idOf).sort();
  assert.deepEqual([...occluded.ngrams].sort(), kept);
  // Nor do the pieces of "<oov>" itself slip in where a real word shares them ("nov" makes "ov>", "<no"…).
  const withNov = words.withNgrams(NgramVocabulary.fit([tokens, ['nov', '12'], ['gov'], ['oops']], 1000));
  const hidden = withNov.encodeTokens(['the', OOV_TOKEN, 'crashed']);
  const novIds = new Set(ngramFeatures(['nov', 'gov', 'oops']).map((f) => withNov.ngrams!.hashes.indexOf(fnv1a(f)) + 1));
  assert.deepEqual(
    hidden.ngrams.filter((id) => novIds.has(id)),
    [],
  );
  assert.equal(hidden.ngrams.length, ngramFeatures(['the']).length + ngramFeatures(['crashed']).length);
  assert.throws(() => Tokenizer.fromJSON({ ...tokenizer.toJSON(), ngrams: { hashes: [1, 1] } }), /duplicates/);
  assert.throws(() => Tokenizer.fromJSON({ ...tokenizer.toJSON(), ngrams: { hashes: [-1] } }), /32-bit/);
});

test('the vocabulary is built from the tokens the model reads: the first maxLength of each line', () => {
  const tokenizer = Tokenizer.fit(['alpha beta gamma delta', 'alpha beta'], { maxLength: 2 });
  assert.ok(tokenizer.vocab.includes('beta'));
  assert.ok(!tokenizer.vocab.includes('gamma') && !tokenizer.vocab.includes('delta'), 'tokens past maxLength never train');
});

test('the vocabulary order: highest count first, ties by first appearance, as a comparison sort gives, in both of its paths', () => {
  let seed = 12345;
  const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const bySort = (counts: Int32Array, size: number) =>
    Array.from({ length: size }, (_, i) => i).sort((a, b) => counts[b] - counts[a] || a - b);
  // Many ties among small counts (the counting sort), then a few huge counts in a short list (its fallback).
  for (const [size, most] of [
    [5000, 40],
    [300, 1_000_000],
  ]) {
    const counts = new Int32Array(size + 7); // longer than the list, as fit's grown table is
    for (let i = 0; i < counts.length; i++) counts[i] = 1 + Math.floor(random() ** 3 * most);
    assert.deepEqual(Array.from(mostFrequentFirst(counts, size)), bySort(counts, size));
  }
  assert.deepEqual(Array.from(mostFrequentFirst(new Int32Array([2, 5, 2, 5, 1]), 5)), [1, 3, 0, 2, 4]);
});
