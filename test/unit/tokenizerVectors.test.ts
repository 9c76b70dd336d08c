// The tokenizer specification's test vectors (docs/tokenizer-vectors.json) on Node's ICU, and the guarantee
// that pinning the segmenters' locale gives: the same tokens whatever locale the process runs in.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fnv1a, ngramFeatures } from '../../src/core/text/ngrams';
import { padLeft, SEGMENTER_LOCALE, Tokenizer, TOKENIZER_VERSION } from '../../src/core/text/tokenizer';
import { TextcatError } from '../../src/core/types';
import { configOf, expectedFeatureFields, expectedFor, featureFields, tokenizerOf, VECTORS } from '../shared/tokenizerVectors';
import * as reference from '../../examples/node/tokenizer.mjs';

const { TextcatTokenizer } = reference;

const ICU = process.versions.icu ?? '';

describe(`tokenizer vectors on Node ${process.version} (ICU ${ICU})`, () => {
  test('the vectors are for the tokenizer version and locale new models get', () => {
    assert.equal(VECTORS.tokenizerVersion, TOKENIZER_VERSION);
    assert.equal(VECTORS.locale, SEGMENTER_LOCALE);
  });

  test('FNV-1a hashes and the fixture n-gram vocabulary', () => {
    for (const { text, fnv1a: hash } of VECTORS.fnv1a) assert.equal(fnv1a(text), hash, JSON.stringify(text));
    assert.deepEqual(VECTORS.ngramVocab.features.map(fnv1a), VECTORS.ngramVocab.hashes);
  });

  for (const c of VECTORS.cases) {
    test(c.name, () => {
      const tokenizer = tokenizerOf(c);
      const expected = expectedFor(c, ICU);
      assert.deepEqual(tokenizer.tokenize(c.text), expected.tokens);
      const ids = tokenizer.encode(c.text);
      assert.deepEqual(ids, expected.ids);
      assert.deepEqual([...padLeft([ids], tokenizer.config.maxLength)], expected.input);
      assert.deepEqual(tokenizer.encodeLine(c.text), { tokens: expected.ids, ngrams: expected.ngrams });
      assert.deepEqual(featureFields(ngramFeatures(tokenizer.modelTokens(c.text)), expected), expectedFeatureFields(expected));
    });
  }

  for (const { name, tokenizer } of VECTORS.invalidTokenizers) {
    test(`refuses a tokenizer file: ${name}`, () => assert.throws(() => Tokenizer.fromJSON(tokenizer), TextcatError));
  }
});

describe('the reference tokenizer for Node (examples/node/tokenizer.mjs)', () => {
  test('FNV-1a hashes and the fixture n-gram vocabulary', () => {
    for (const { text, fnv1a: hash } of VECTORS.fnv1a) assert.equal(reference.fnv1a(text), hash, JSON.stringify(text));
    assert.deepEqual(VECTORS.ngramVocab.features.map(reference.fnv1a), VECTORS.ngramVocab.hashes);
  });

  for (const c of VECTORS.cases) {
    test(c.name, () => {
      const version = c.tokenizerVersion ?? VECTORS.tokenizerVersion;
      const tokenizer = new TextcatTokenizer({
        version,
        locale: version >= 2 ? VECTORS.locale : undefined,
        config: configOf(c),
        vocab: VECTORS.vocab,
        ngrams: { hashes: VECTORS.ngramVocab.hashes },
      });
      const expected = expectedFor(c, ICU);
      const tokens = tokenizer.tokenize(c.text);
      assert.deepEqual(tokens, expected.tokens);
      assert.deepEqual(tokenizer.encode(c.text), expected.ids);
      assert.deepEqual([...tokenizer.modelInput([c.text])].map(Number), expected.input);
      assert.deepEqual(tokenizer.encodeNgrams(c.text), expected.ngrams);
      // Its n-gram strings are Textcat's, in Textcat's order.
      const modelTokens = tokens.slice(0, configOf(c).maxLength);
      assert.deepEqual(reference.ngramFeatures(modelTokens), ngramFeatures(modelTokens));
      assert.deepEqual(featureFields(reference.ngramFeatures(modelTokens), expected), expectedFeatureFields(expected));
    });
  }

  for (const { name, tokenizer } of VECTORS.invalidTokenizers) {
    test(`refuses a tokenizer file: ${name}`, () => assert.throws(() => new TextcatTokenizer(tokenizer as reference.TokenizerFile)));
  }
});

describe('the pinned locale', () => {
  // Word breaks after the tokenizer's own steps (NFKC, lowercase), with the segmenter of any locale.
  const breaks = (locale: string | undefined, text: string) =>
    [...new Intl.Segmenter(locale, { granularity: 'word' }).segment(text.normalize('NFKC').toLowerCase())].map(
      (s) => `${s.segment}${s.isWordLike ? '' : '°'}`,
    );

  test('gives the breaks the default locale gave (version 1), so CJK text splits as it did', () => {
    const v1 = Tokenizer.fromJSON({ version: 1, config: configOf(VECTORS.cases[0]), vocab: VECTORS.vocab });
    const v2 = new Tokenizer(configOf(VECTORS.cases[0]), VECTORS.vocab);
    for (const c of VECTORS.cases) assert.deepEqual(v2.tokenize(c.text), v1.tokenize(c.text), c.name);
  });

  test('breaks every vector as the locales of our users do (Chinese, Japanese, Korean, Thai, Finnish, ...)', () => {
    const locales = ['zh-CN', 'zh-TW', 'ja-JP', 'ko-KR', 'th-TH', 'fi-FI', 'sv-SE', 'de-DE', 'tr-TR', 'ru-RU', 'el-GR'];
    for (const c of VECTORS.cases) {
      const pinned = breaks(SEGMENTER_LOCALE, c.text);
      for (const locale of locales) assert.deepEqual(breaks(locale, c.text), pinned, `${locale}: ${c.name}`);
    }
  });

  test("is not a locale with its own word rules: en-US-POSIX would split abbreviations like 'e.g.'", () => {
    assert.deepEqual(breaks(SEGMENTER_LOCALE, 'e.g. x'), ['e.g', '.°', ' °', 'x']);
    assert.deepEqual(breaks('en-US-u-va-posix', 'e.g. x'), ['e', '.°', 'g', '.°', ' °', 'x']);
  });

  test('makes the tokens independent of the locale the process runs in', () => {
    // A child process per environment locale: Node takes its default locale from LC_ALL/LANG.
    const script = `
      const { Tokenizer } = require(${JSON.stringify(path.resolve(__dirname, '../../src/core/text/tokenizer.ts'))});
      const v = require(${JSON.stringify(path.resolve(__dirname, '../../docs/tokenizer-vectors.json'))});
      const t = new Tokenizer({ maxVocab: 20000, minCount: 1, ...v.defaults }, v.vocab);
      const resolved = new Intl.Segmenter().resolvedOptions().locale;
      console.log(JSON.stringify({ resolved, tokens: v.cases.map((c) => t.tokenize(c.text)) }));`;
    for (const locale of ['fi_FI.UTF-8', 'ja_JP.UTF-8', 'zh_CN.UTF-8', 'C']) {
      const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], {
        env: { ...process.env, LC_ALL: locale, LANG: locale },
        encoding: 'utf8',
      });
      assert.equal(r.status, 0, r.stderr);
      const { resolved, tokens } = JSON.parse(r.stdout) as { resolved: string; tokens: string[][] };
      assert.equal(resolved.slice(0, 2), locale === 'C' ? 'en' : locale.slice(0, 2), 'the child runs in that locale');
      VECTORS.cases.forEach((c, i) => {
        if (!c.config) assert.deepEqual(tokens[i], expectedFor(c, ICU).tokens, `${locale}: ${c.name}`);
      });
    }
  });
});
