import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_TOKENIZER,
  OOV,
  PAD,
  SEGMENTER_LOCALE,
  TOKENIZER_VERSION,
  Tokenizer,
  longestLength,
  padLeft,
} from '../../src/core/text/tokenizer';
import { TextcatError } from '../../src/core/types';

const tokenizer = (config: Partial<typeof DEFAULT_TOKENIZER> = {}) =>
  new Tokenizer({ ...DEFAULT_TOKENIZER, ...config }, ['<pad>', '<oov>']);

test('reserved ids', () => {
  assert.equal(PAD, 0);
  assert.equal(OOV, 1);
});

test('Chinese splits into words (ICU dictionary)', () => {
  assert.deepEqual(tokenizer().tokenize('我喜欢机器学习'), ['我', '喜欢', '机器', '学习']);
});

test('English drops punctuation and lowercases by default', () => {
  assert.deepEqual(tokenizer().tokenize('Hello, World!'), ['hello', 'world']);
});

test('keepPunctuation keeps punctuation as tokens', () => {
  assert.deepEqual(tokenizer({ keepPunctuation: true }).tokenize('Hello, World!'), ['hello', ',', 'world', '!']);
});

test('lowercase false keeps case', () => {
  assert.deepEqual(tokenizer({ lowercase: false }).tokenize('Hello World'), ['Hello', 'World']);
});

test('NFKC folds full-width letters before lowercasing', () => {
  assert.deepEqual(tokenizer().tokenize('ＡＢＣ'), ['abc']);
});

test('char mode splits graphemes, skips spaces and punctuation', () => {
  const chars = tokenizer({ mode: 'char' });
  assert.deepEqual(chars.tokenize('Hi 你好!'), ['h', 'i', '你', '好']);
  // A skin-toned thumbs up is two code points but one grapheme.
  assert.deepEqual(chars.tokenize('a 👍🏽'), ['a', '👍🏽']);
});

test('char mode with keepPunctuation keeps punctuation but not spaces', () => {
  assert.deepEqual(tokenizer({ mode: 'char', keepPunctuation: true }).tokenize('a, b!'), ['a', ',', 'b', '!']);
});

test('fit orders the vocabulary by frequency, ties by first appearance', () => {
  const fitted = Tokenizer.fit(['b a c', 'c a', 'a d']);
  // a: 3, c: 2, b: 1 (seen before d), d: 1
  assert.deepEqual(fitted.vocab, ['<pad>', '<oov>', 'a', 'c', 'b', 'd']);
  assert.equal(fitted.vocabSize, 6);
  assert.deepEqual(fitted.config, DEFAULT_TOKENIZER);
});

test('fit ignores undefined options', () => {
  assert.deepEqual(Tokenizer.fit(['a'], { maxLength: undefined }).config, DEFAULT_TOKENIZER);
});

test('fit respects maxVocab including the two reserved entries', () => {
  const fitted = Tokenizer.fit(['b a c', 'c a', 'a d'], { maxVocab: 4 });
  assert.deepEqual(fitted.vocab, ['<pad>', '<oov>', 'a', 'c']);
});

test('fit drops words below minCount', () => {
  const fitted = Tokenizer.fit(['b a c', 'c a', 'a d'], { minCount: 2 });
  assert.deepEqual(fitted.vocab, ['<pad>', '<oov>', 'a', 'c']);
});

test('fit never adds the reserved names twice', () => {
  const fitted = Tokenizer.fit(['<pad> <oov> x'], { keepPunctuation: true });
  assert.equal(new Set(fitted.vocab).size, fitted.vocab.length);
});

test('encode maps unknown words to OOV', () => {
  const fitted = Tokenizer.fit(['the cat sat']);
  const ids = fitted.encode('The dog sat');
  assert.deepEqual(ids, [2, OOV, 4]);
  assert.ok(ids.every(Number.isInteger));
});

test('encode keeps the first maxLength tokens', () => {
  const fitted = Tokenizer.fit(['a b c d e'], { maxLength: 3 });
  assert.deepEqual(fitted.encode('a b c d e'), [2, 3, 4]);
});

test('encode of empty or punctuation-only text is empty', () => {
  const fitted = Tokenizer.fit(['a b']);
  assert.deepEqual(fitted.encode(''), []);
  assert.deepEqual(fitted.encode('  ?! '), []);
});

test('padLeft right-aligns, pads with PAD and truncates to the first ids', () => {
  const batch = padLeft([[5, 6], [], [1, 2, 3, 4, 5]], 4);
  assert.ok(batch instanceof Int32Array);
  assert.deepEqual([...batch], [0, 0, 5, 6, 0, 0, 0, 0, 1, 2, 3, 4]);
});

test('longestLength caps and never returns zero', () => {
  assert.equal(longestLength([[1], [1, 2, 3], [1, 2]], 10), 3);
  assert.equal(longestLength([[1], [1, 2, 3]], 2), 2);
  assert.equal(longestLength([[], []], 10), 1);
});

test('toJSON / fromJSON round trip encodes identically', () => {
  const texts = ['我喜欢机器学习', 'Hello, World!', 'the cat sat on the mat'];
  const fitted = Tokenizer.fit(texts, { keepPunctuation: true, maxLength: 5 });
  const restored = Tokenizer.fromJSON(JSON.parse(JSON.stringify(fitted)));
  assert.deepEqual(restored.config, fitted.config);
  assert.deepEqual(restored.vocab, fitted.vocab);
  for (const text of [...texts, 'unseen words here']) assert.deepEqual(restored.encode(text), fitted.encode(text));
});

test('fromJSON rejects garbage with a TextcatError', () => {
  const good = Tokenizer.fit(['a b']).toJSON();
  const bad: unknown[] = [
    null,
    'tokenizer',
    [],
    {},
    { ...good, vocab: 'a b' },
    { ...good, vocab: ['a', 'b'] },
    { ...good, vocab: ['<pad>', '<oov>', 'a', 'a'] },
    { ...good, vocab: ['<pad>', '<oov>', 3] },
    { ...good, config: undefined },
    { ...good, config: { ...good.config, mode: 'sentence' } },
    { ...good, config: { ...good.config, maxLength: -1 } },
    { ...good, config: { ...good.config, lowercase: 'yes' } },
  ];
  for (const json of bad) {
    assert.throws(
      () => Tokenizer.fromJSON(json),
      (error: unknown) => error instanceof TextcatError && /tokenizer is malformed/.test(error.message),
      JSON.stringify(json),
    );
  }
});

test('a new tokenizer is the latest version and saves it with its locale', () => {
  const fitted = Tokenizer.fit(['a b']);
  assert.equal(fitted.version, TOKENIZER_VERSION);
  assert.equal(TOKENIZER_VERSION, 2);
  const json = fitted.toJSON();
  assert.equal(json.version, 2);
  assert.equal(json.locale, SEGMENTER_LOCALE);
  assert.equal(Tokenizer.fromJSON(JSON.parse(JSON.stringify(json))).version, 2);
});

test('an older model keeps its tokenizer version: 1 as saved, and 1 when it has none', () => {
  const { config, vocab } = Tokenizer.fit(['我喜欢机器学习 hello']).toJSON();
  const v1 = Tokenizer.fromJSON({ version: 1, config, vocab });
  assert.equal(v1.version, 1);
  assert.equal(Tokenizer.fromJSON({ config, vocab }).version, 1);
  // Saved again (a re-save of a loaded model), it stays version 1 and claims no pinned locale.
  assert.deepEqual(Object.keys(v1.toJSON()).sort(), ['config', 'version', 'vocab']);
  assert.equal(v1.toJSON().version, 1);
  assert.deepEqual(v1.encode('我喜欢机器学习 hello'), [2, 3, 4, 5, 6]);
});

test('a tokenizer newer than this Textcat, or a version 2 with another locale, is refused', () => {
  const good = Tokenizer.fit(['a b']).toJSON();
  assert.throws(
    () => Tokenizer.fromJSON({ ...good, version: 3 }),
    (e: unknown) => e instanceof TextcatError && /version 3, newer .*update Textcat/.test(e.message),
  );
  for (const bad of [
    { ...good, locale: 'fr' },
    { ...good, locale: undefined },
    { ...good, version: 0 },
    { ...good, version: '2' },
  ]) {
    assert.throws(
      () => Tokenizer.fromJSON(bad),
      (e: unknown) => e instanceof TextcatError && /tokenizer is malformed/.test(e.message),
      JSON.stringify(bad),
    );
  }
});
