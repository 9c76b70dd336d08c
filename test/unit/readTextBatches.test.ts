// `textcat predict` reads its texts a read chunk at a time (readTextBatches): wherever the chunks break, the texts
// and their line numbers must be what reading line by line gave, fastText labels dropped from the first
// non-blank line on, and the layout reported once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { splitFastTextLine } from '../../src/core/datasetFormats/fasttext';
import { readTextBatches, type TextsLayout, type TextToLabel } from '../../src/core/datasetFormats/textsToLabel';

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

/**
 * What line-by-line reading gives, written out independently: split on \n, the BOM and each \r\n's \r dropped,
 * fastText's labels dropped (splitFastTextLine) from the first non-blank line on.
 */
function expectedTexts(text: string, dropLabels: boolean): TextToLabel[] {
  const lines = text.replace(/^\ufeff/, '').split('\n');
  const firstText = lines.findIndex((line) => line.trim() !== '');
  return lines.map((raw, i) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    return { line: i + 1, text: dropLabels && i >= firstText ? splitFastTextLine(line).text : line };
  });
}

for (const [name, text] of Object.entries(inputs))
  for (const format of [undefined, 'lines', 'fasttext'] as const) {
    test(`readTextBatches gives the texts and numbers of line-by-line reading wherever the chunks break (${name}, format ${format})`, async () => {
      const dropLabels = format === 'fasttext' || (format === undefined && name === 'fastText');
      const expected = expectedTexts(text, dropLabels);
      for (const size of [1, 2, 3, 5, 8, 13, 64, 1 << 20]) {
        const { texts, layouts } = await batches(text, size, format);
        assert.deepEqual(texts.flat(), expected, `chunks of ${size} bytes`);
        assert.equal(layouts.length, 1, `one layout, chunks of ${size} bytes`);
        assert.equal(layouts[0].format, dropLabels ? 'fasttext' : 'lines');
        if (size === 1 << 20) assert.equal(texts.length, 2, 'one batch for the chunk, one for the unterminated last line');
      }
      const flat: TextToLabel[] = [];
      for await (const batch of readTextBatches(chunked(text, 7), format, {}, 'input')) flat.push(...batch);
      assert.deepEqual(flat, expected, 'the same without an onLayout callback');
    });
  }
