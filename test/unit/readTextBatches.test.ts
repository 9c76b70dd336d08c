// `textcat predict` reads its texts a read chunk at a time (readTextBatches): wherever the chunks break, the texts
// and their line numbers must be what reading line by line gave, fastText labels dropped from the first
// non-blank line on, and the layout reported once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { readTextBatches, readTexts, type TextsLayout, type TextToLabel } from '../../src/core/datasetFormats/textsToLabel';

function chunked(text: string, size: number): AsyncIterable<Uint8Array> {
  const bytes = Buffer.from(text);
  const chunks: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.subarray(at, at + size));
  return Readable.from(chunks);
}

async function batches(
  text: string,
  size: number,
  format?: 'lines' | 'fasttext',
): Promise<{ texts: TextToLabel[][]; layouts: TextsLayout[] }> {
  const layouts: TextsLayout[] = [];
  const texts: TextToLabel[][] = [];
  for await (const batch of readTextBatches(chunked(text, size), format, { onLayout: (l) => layouts.push(l) }, 'input')) texts.push(batch);
  return { texts, layouts };
}

const inputs = {
  plain: '\ufeffboot ok\r\n\n  \ndisk 93% full on /var\nworker 7 restarted\n中文 日志\nlast line without a break',
  fastText: '\n   \n__label__warn disk 93% full\n__label__info boot ok\n\nplain line __label__x\n__label__error  oom killer',
};

for (const [name, text] of Object.entries(inputs)) {
  test(`readTextBatches gives readTexts' texts and numbers wherever the chunks break (${name})`, async () => {
    const expected: TextToLabel[] = [];
    const expectedLayouts: TextsLayout[] = [];
    for await (const t of readTexts(chunked(text, 1 << 20), undefined, { onLayout: (l) => expectedLayouts.push(l) }, 'input'))
      expected.push(t);
    assert.equal(expected.length, text.split('\n').length);
    for (const size of [1, 2, 3, 5, 8, 13, 64, 1 << 20]) {
      const { texts, layouts } = await batches(text, size);
      assert.deepEqual(texts.flat(), expected, `chunks of ${size} bytes`);
      assert.deepEqual(layouts, expectedLayouts, `one layout, chunks of ${size} bytes`);
      if (size === 1 << 20) assert.equal(texts.length, 2, 'one batch for the chunk, one for the unterminated last line');
    }
    if (name === 'fastText') {
      assert.deepEqual(expectedLayouts, [{ format: 'fasttext', labelColumn: 'label' }]);
      assert.deepEqual(
        expected.map((t) => t.text),
        ['', '   ', 'disk 93% full', 'boot ok', '', 'plain line __label__x', 'oom killer'],
      );
    } else assert.deepEqual(expected[0], { line: 1, text: 'boot ok' });
  });
}
