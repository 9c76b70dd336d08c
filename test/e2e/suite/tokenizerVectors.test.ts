// The tokenizer specification's test vectors (docs/tokenizer-vectors.json) inside the extension host, on
// VS Code's runtime and its ICU, which may differ from the Node that runs the CLI and the unit tests: if
// the two ICUs split a text differently, this fails instead of labels silently changing.
import * as assert from 'node:assert/strict';
import { fnv1a, ngramFeatures } from '../../../src/core/text/ngrams';
import { padLeft } from '../../../src/core/text/tokenizer';
import { expectedFeatureFields, expectedFor, featureFields, tokenizerOf, VECTORS } from '../../shared/tokenizerVectors';

const icu = process.versions.icu ?? '';

// The title names the runtime, so the e2e log says which ICU passed.
suite(`Tokenizer test vectors in the extension host (Node ${process.version}, ICU ${icu})`, () => {
  test('the host has ICU with word segmentation', () => {
    assert.match(icu, /^\d+\.\d+/);
    assert.equal(new Intl.Segmenter('en', { granularity: 'word' }).resolvedOptions().granularity, 'word');
  });

  test('FNV-1a hashes of the n-grams', () => {
    for (const { text, fnv1a: hash } of VECTORS.fnv1a) assert.equal(fnv1a(text), hash, JSON.stringify(text));
    assert.deepEqual(VECTORS.ngramVocab.features.map(fnv1a), VECTORS.ngramVocab.hashes);
  });

  for (const c of VECTORS.cases) {
    test(c.name, () => {
      const tokenizer = tokenizerOf(c);
      const expected = expectedFor(c, icu);
      assert.deepEqual(tokenizer.tokenize(c.text), expected.tokens);
      const ids = tokenizer.encode(c.text);
      assert.deepEqual(ids, expected.ids);
      assert.deepEqual([...padLeft([ids], tokenizer.config.maxLength)], expected.input);
      // The n-gram ids of a model with a wide path: the scripts without spaces are ICU's (Unicode's Script property).
      assert.deepEqual(tokenizer.encodeLine(c.text).ngrams, expected.ngrams);
      assert.deepEqual(featureFields(ngramFeatures(tokenizer.modelTokens(c.text)), expected), expectedFeatureFields(expected));
    });
  }
});
