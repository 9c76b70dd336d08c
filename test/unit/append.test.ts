import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { appendExample, quoteField, unsafeFolderName, type AppendTarget } from '../../src/core/data/append';
import { readDataset } from '../../src/core/data/dataset';
import { TextcatError, type DatasetFormat, type Example } from '../../src/core/types';
import { tempFiles } from './tempFiles';

const temp = tempFiles('textcat-append-');
const { write } = temp;

const TRICKY = 'He said "hi, there" — 你好，世界';
const MULTILINE = 'first line, with a comma\nsecond "quoted" line';

function target(file: string, format: DatasetFormat, text = 'text', label = 'label'): AppendTarget {
  return { path: file, format, columns: { text, label } };
}

/** Appends, then checks the old bytes are a prefix of the new file and exactly one example was added. */
async function appendAndCheck(
  dataset: AppendTarget,
  text: string,
  label: string,
  expected: { text?: string; label?: string } = {},
): Promise<{ added: Example; bytes: Buffer; before: Buffer; line: number }> {
  const before = fs.readFileSync(dataset.path);
  const old = await readDataset(dataset.path, {
    format: dataset.format,
    textColumn: dataset.columns.text,
    labelColumn: dataset.columns.label,
  });
  const written = await appendExample(dataset, text, label);
  const bytes = fs.readFileSync(dataset.path);
  assert.ok(bytes.length > before.length, 'the file grew');
  assert.deepEqual(bytes.subarray(0, before.length), before, 'the bytes that were there are unchanged');
  const now = await readDataset(dataset.path, {
    format: dataset.format,
    textColumn: dataset.columns.text,
    labelColumn: dataset.columns.label,
  });
  assert.equal(now.examples.length, old.examples.length + 1, 'exactly one example more');
  assert.deepEqual(now.examples.slice(0, -1), old.examples, 'the earlier examples read back the same');
  const added = now.examples.at(-1)!;
  assert.equal(added.text, expected.text ?? text.trim());
  assert.equal(added.label, expected.label ?? label.trim());
  assert.equal(written.file, dataset.path);
  assert.equal(written.line, added.line, 'the reported line is where the reader finds the row');
  return { added, bytes, before, line: written.line };
}

describe('appendExample: CSV', () => {
  it('quotes a text with commas, quotes and CJK (RFC 4180) and writes it in the text column', async () => {
    const file = write('a.csv', 'id,label,text\n1,praise,"thanks, really"\n2,billing,the invoice\n');
    const { bytes, before } = await appendAndCheck(target(file, 'csv'), TRICKY, 'praise');
    assert.equal(
      bytes.subarray(before.length).toString('utf8'),
      ',praise,"He said ""hi, there"" — 你好，世界"\n',
      'other columns empty, LF kept',
    );
  });

  it('keeps a newline inside the quoted field, and a second append adds a second row', async () => {
    const file = write('b.csv', 'text,label\nhello,a\nbye,b\n');
    const first = await appendAndCheck(target(file, 'csv'), MULTILINE, 'a');
    assert.equal(first.line, 4);
    const second = await appendAndCheck(target(file, 'csv'), 'plain', 'b');
    assert.equal(second.line, 6, 'the quoted newline took a line');
  });

  it('writes CRLF rows into a CRLF file', async () => {
    const file = write('c.csv', 'text,label\r\nhello,a\r\nbye,b\r\n');
    const { bytes, before } = await appendAndCheck(target(file, 'csv'), TRICKY, 'a, b');
    assert.equal(bytes.subarray(before.length).toString('utf8'), '"He said ""hi, there"" — 你好，世界","a, b"\r\n');
  });

  it("puts a line break first when the file does not end with one (in the file's style)", async () => {
    const file = write('d.csv', 'text,label\r\nhello,a\r\nbye,b');
    const { bytes, before, line } = await appendAndCheck(target(file, 'csv'), 'new one', 'a');
    assert.equal(bytes.subarray(before.length).toString('utf8'), '\r\nnew one,a\r\n');
    assert.equal(line, 4);
  });

  it('reads the header fresh: a column added on disk since training gets an empty field', async () => {
    const file = write('e.csv', '\ufefflabel,notes,text\nx,,one\ny,,two\n');
    const { bytes, before } = await appendAndCheck(target(file, 'csv'), 'three', 'x');
    assert.equal(bytes.subarray(before.length).toString('utf8'), 'x,,three\n');
  });

  it('refuses when the header no longer has the trained column', async () => {
    const file = write('f.csv', 'sentence,label\nhello,a\nbye,b\n');
    const before = fs.readFileSync(file);
    await assert.rejects(
      appendExample(target(file, 'csv'), 'x', 'a'),
      (e: unknown) => e instanceof TextcatError && /no longer has the column "text"/.test(e.message),
    );
    assert.deepEqual(fs.readFileSync(file), before);
  });

  it('names a missing file clearly', async () => {
    await assert.rejects(
      appendExample(target(path.join(temp.dir, 'nope.csv'), 'csv'), 'x', 'a'),
      (e: unknown) => e instanceof TextcatError && /does not exist/.test(e.message),
    );
  });
});

describe('appendExample: TSV', () => {
  it('quotes fields with tabs or quotes, leaves commas alone, keeps CRLF', async () => {
    const file = write('a.tsv', 'text\tlabel\r\nhello world\ta\r\nbye\tb\r\n');
    const { bytes, before } = await appendAndCheck(target(file, 'tsv'), `${TRICKY}\twith a tab`, 'a');
    assert.equal(bytes.subarray(before.length).toString('utf8'), '"He said ""hi, there"" — 你好，世界\twith a tab"\ta\r\n');
  });

  it('keeps a newline in a quoted field, and handles a missing final newline', async () => {
    const file = write('b.tsv', 'text\tlabel\nhello\ta\nbye\tb');
    await appendAndCheck(target(file, 'tsv'), MULTILINE, 'b');
  });
});

describe('appendExample: JSONL', () => {
  it('writes one escaped JSON object with the trained keys', async () => {
    const file = write('a.jsonl', '{"sentence": "hello, you", "intent": "a"}\n{"sentence": "bye", "intent": "b"}\n');
    const { bytes, before } = await appendAndCheck(target(file, 'jsonl', 'sentence', 'intent'), `${TRICKY}\n${MULTILINE}`, 'a');
    const row = bytes.subarray(before.length).toString('utf8');
    assert.ok(row.endsWith('\n') && row.split('\n').length === 2, `one line: ${JSON.stringify(row)}`);
    assert.deepEqual(JSON.parse(row), { sentence: `${TRICKY}\n${MULTILINE}`, intent: 'a' });
  });

  it('CRLF file, and no final newline', async () => {
    const file = write('b.jsonl', '{"text": "hello", "label": "a"}\r\n{"text": "bye", "label": "b"}');
    const { bytes, before } = await appendAndCheck(target(file, 'jsonl'), TRICKY, 'b');
    assert.equal(bytes.subarray(before.length).toString('utf8'), `\r\n${JSON.stringify({ text: TRICKY, label: 'b' })}\r\n`);
  });
});

describe('appendExample: fastText', () => {
  it('writes __label__<label> <text>, flattening line breaks and saying so', async () => {
    const file = write('a.txt', '__label__a hello there\n__label__b bye\n');
    const written = await appendExample(target(file, 'fasttext'), `${TRICKY}\nnext line`, 'a');
    assert.deepEqual(written.notes, ['fastText keeps one example per line: the line breaks in the text were written as spaces.']);
    const now = await readDataset(file, { format: 'fasttext' });
    assert.deepEqual(now.examples.at(-1), { text: `${TRICKY} next line`, label: 'a', line: 3 });
    assert.equal(written.line, 3);
  });

  it('replaces whitespace in a label by _ and says so; CRLF and a missing final newline kept right', async () => {
    const file = write('b.txt', '__label__a hello\r\n__label__b bye');
    const before = fs.readFileSync(file);
    const written = await appendExample(target(file, 'fasttext'), TRICKY, 'very good');
    assert.match(written.notes.join(' '), /"very good" was written as "very_good"/);
    const bytes = fs.readFileSync(file);
    assert.deepEqual(bytes.subarray(0, before.length), before);
    assert.equal(bytes.subarray(before.length).toString('utf8'), `\r\n__label__very_good ${TRICKY}\r\n`);
    const now = await readDataset(file, { format: 'fasttext' });
    assert.equal(now.examples.length, 3);
    assert.deepEqual(now.examples.at(-1), { text: TRICKY, label: 'very_good', line: 3 });
  });

  it('plain case round-trips through the reader', async () => {
    const file = write('c.txt', '__label__a hello\n__label__b bye\n');
    await appendAndCheck(target(file, 'fasttext'), 'comma, "quote" 中文', 'b');
  });
});

describe('appendExample: JSON array', () => {
  it('is refused with a clear error and the file untouched', async () => {
    const file = write('a.json', '[{"text": "hello", "label": "a"}, {"text": "bye", "label": "b"}]');
    const before = fs.readFileSync(file);
    await assert.rejects(
      appendExample(target(file, 'json'), 'x', 'a'),
      (e: unknown) => e instanceof TextcatError && /would rewrite the file; convert it to JSONL/.test(e.message),
    );
    assert.deepEqual(fs.readFileSync(file), before);
  });
});

describe('appendExample: folder of classes', () => {
  function folder(): string {
    const root = temp.fresh('folder');
    for (const [label, text] of [
      ['pos', 'good'],
      ['neg', 'bad'],
    ]) {
      fs.mkdirSync(path.join(root, label), { recursive: true });
      fs.writeFileSync(path.join(root, label, '1.txt'), text);
    }
    return root;
  }

  it('writes a new UTF-8 file in the class folder, leaving the others alone', async () => {
    const root = folder();
    const written = await appendExample(target(root, 'folder'), `${TRICKY}\n${MULTILINE}`, 'pos');
    assert.equal(path.dirname(written.file), path.join(root, 'pos'));
    assert.match(path.basename(written.file), /^\d{4}-\d\d-\d\dT[\d-]+Z-1\.txt$/);
    assert.equal(fs.readFileSync(written.file, 'utf8'), `${TRICKY}\n${MULTILINE}`);
    assert.equal(fs.readFileSync(path.join(root, 'pos', '1.txt'), 'utf8'), 'good');
    const now = await readDataset(root, { format: 'folder' });
    assert.equal(now.examples.length, 3);
    assert.ok(now.examples.some((e) => e.file === written.file && e.label === 'pos' && e.text === `${TRICKY}\n${MULTILINE}`));
  });

  it('two appends in the same millisecond get different files', async () => {
    const root = folder();
    const [a, b] = await Promise.all([
      appendExample(target(root, 'folder'), 'one', 'neg'),
      appendExample(target(root, 'folder'), 'two', 'neg'),
    ]);
    assert.notEqual(a.file, b.file);
    assert.equal((await readDataset(root, { format: 'folder' })).examples.length, 4);
  });

  it('a new label creates its class folder', async () => {
    const root = folder();
    const written = await appendExample(target(root, 'folder'), 'so-so', 'neutral 中性');
    assert.equal(path.dirname(written.file), path.join(root, 'neutral 中性'));
    const now = await readDataset(root, { format: 'folder' });
    assert.deepEqual(
      now.examples.filter((e) => e.label === 'neutral 中性').map((e) => e.text),
      ['so-so'],
    );
  });

  it('refuses labels that are not safe folder names, writing nothing', async () => {
    const root = folder();
    for (const label of ['../escape', 'a/b', 'a\\b', '..', '.hidden', 'tab\there', 'bell\u0007']) {
      await assert.rejects(
        appendExample(target(root, 'folder'), 'x', label),
        (e: unknown) => e instanceof TextcatError && /cannot use the label/.test(e.message),
        label,
      );
    }
    assert.deepEqual(fs.readdirSync(root).sort(), ['neg', 'pos']);
    assert.deepEqual(
      fs.readdirSync(temp.dir).filter((n) => n === 'escape'),
      [],
    );
    assert.equal(unsafeFolderName('fine label'), undefined);
  });
});

describe('quoteField', () => {
  it('quotes only when needed', () => {
    assert.equal(quoteField('plain text', ','), 'plain text');
    assert.equal(quoteField('a,b', ','), '"a,b"');
    assert.equal(quoteField('a,b', '\t'), 'a,b');
    assert.equal(quoteField('say "x"', '\t'), '"say ""x"""');
    assert.equal(quoteField('a\r\nb', ','), '"a\r\nb"');
  });

  it('refuses empty texts and labels', async () => {
    const file = write('g.csv', 'text,label\na,b\nc,d\n');
    await assert.rejects(appendExample(target(file, 'csv'), '  ', 'a'), /empty text/);
    await assert.rejects(appendExample(target(file, 'csv'), 'x', ' '), /empty label/);
  });
});
