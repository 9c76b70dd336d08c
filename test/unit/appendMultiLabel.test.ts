// Appending a row with several labels (or none) to a multi-label dataset, in each format's own way, and reading
// it back with the dataset reader: the earlier bytes untouched, the labels the ones written.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { appendExample, type AppendTarget } from '../../src/core/data/append';
import { readDataset } from '../../src/core/data/dataset';
import { TextcatError, type DatasetFormat, type Example } from '../../src/core/types';
import { tempFiles } from './tempFiles';

const temp = tempFiles('textcat-append-ml-');
const { write } = temp;

function multiLabel(file: string, format: DatasetFormat, extra: Partial<AppendTarget> = {}): AppendTarget {
  return { path: file, format, columns: { text: 'text', label: 'labels' }, multiLabel: true, ...extra };
}

/** Appends, checks the old bytes are a prefix and exactly one example was added; returns it and the bytes written. */
async function appendAndRead(
  dataset: AppendTarget,
  text: string,
  labels: readonly string[],
): Promise<{ added: Example; written: string; notes: string[] }> {
  const read = () => readDataset(dataset.path, { format: dataset.format, multiLabel: true, labelSeparator: dataset.labelSeparator });
  const before = fs.readFileSync(dataset.path);
  const old = await read();
  const result = await appendExample(dataset, text, labels);
  const bytes = fs.readFileSync(dataset.path);
  assert.deepEqual(bytes.subarray(0, before.length), before, 'the bytes that were there are unchanged');
  const now = await read();
  assert.equal(now.examples.length, old.examples.length + 1, 'exactly one example more');
  assert.deepEqual(now.examples.slice(0, -1), old.examples);
  const added = now.examples.at(-1)!;
  assert.equal(result.line, added.line, 'the reported line is where the reader finds the row');
  return { added, written: bytes.subarray(before.length).toString('utf8'), notes: result.notes };
}

async function refuses(promise: Promise<unknown>, message: RegExp, file: string): Promise<void> {
  const before = fs.readFileSync(file);
  await assert.rejects(promise, (e: unknown) => e instanceof TextcatError && message.test(e.message));
  assert.deepEqual(fs.readFileSync(file), before, 'nothing written');
}

const CSV = 'text,labels\nsunny,joy|weather\nrain,weather\n';

describe('appendExample: multi-label CSV and TSV', () => {
  it('joins the labels with the dataset separator (cleaned: trimmed, each once) and reads them back', async () => {
    const file = write('a.csv', CSV);
    const { added, written } = await appendAndRead(multiLabel(file, 'csv', { labelSeparator: '|' }), 'what, a goal', [
      'sport',
      ' joy ',
      'sport',
    ]);
    assert.equal(written, '"what, a goal",sport|joy\n');
    assert.deepEqual(added.labels, ['sport', 'joy']);
  });

  it('uses "|" when the dataset names no separator, and quotes a separator that is the delimiter', async () => {
    const file = write('b.csv', CSV);
    assert.equal((await appendAndRead(multiLabel(file, 'csv'), 'goal', ['sport', 'joy'])).written, 'goal,sport|joy\n');
    const commas = write('c.csv', 'text,labels\nsunny,"joy,weather"\nrain,weather\n');
    const { written, added } = await appendAndRead(multiLabel(commas, 'csv', { labelSeparator: ',' }), 'goal', ['sport', 'joy']);
    assert.equal(written, 'goal,"sport,joy"\n');
    assert.deepEqual(added.labels, ['sport', 'joy']);
  });

  it('writes an empty label cell for a row with no label, read back as a row with none', async () => {
    const file = write('d.csv', CSV);
    const { written, added } = await appendAndRead(multiLabel(file, 'csv'), 'nothing much', []);
    assert.equal(written, 'nothing much,\n');
    assert.deepEqual(added.labels, []);
  });

  it('refuses a label that holds the separator (it would read back as two)', async () => {
    const file = write('e.csv', CSV);
    await refuses(appendExample(multiLabel(file, 'csv'), 'goal', ['sport|joy']), /label "sport\|joy": it contains "\|"/, file);
  });

  it('TSV: joins with the separator, CRLF kept', async () => {
    const file = write('a.tsv', 'text\tlabels\r\nsunny\tjoy;weather\r\nrain\tweather\r\n');
    const { written, added } = await appendAndRead(multiLabel(file, 'tsv', { labelSeparator: ';' }), 'goal', ['sport', 'joy']);
    assert.equal(written, 'goal\tsport;joy\r\n');
    assert.deepEqual(added.labels, ['sport', 'joy']);
  });
});

describe('appendExample: multi-label JSONL and fastText', () => {
  it('JSONL: a list of labels (an empty one for none); joined only when the dataset joins its labels', async () => {
    const file = write('a.jsonl', '{"text":"sunny","labels":["joy","weather"]}\n{"text":"rain","labels":["weather"]}\n');
    const { written, added } = await appendAndRead(multiLabel(file, 'jsonl'), 'goal', ['sport', 'joy']);
    assert.deepEqual(JSON.parse(written), { text: 'goal', labels: ['sport', 'joy'] });
    assert.deepEqual(added.labels, ['sport', 'joy']);
    assert.deepEqual(JSON.parse((await appendAndRead(multiLabel(file, 'jsonl'), 'meh', [])).written), { text: 'meh', labels: [] });
    const joined = write('b.jsonl', '{"text":"sunny","labels":"joy|weather"}\n{"text":"rain","labels":"weather"}\n');
    const row = await appendAndRead(multiLabel(joined, 'jsonl', { labelSeparator: '|' }), 'goal', ['sport', 'joy']);
    assert.deepEqual(JSON.parse(row.written), { text: 'goal', labels: 'sport|joy' });
  });

  it('fastText: one __label__ per label (spaces made _), and the text alone for none', async () => {
    const file = write('a.txt', '__label__joy __label__weather sunny\n__label__weather rain\n');
    const { written, added, notes } = await appendAndRead(multiLabel(file, 'fasttext'), 'a goal', ['sport', 'very good']);
    assert.equal(written, '__label__sport __label__very_good a goal\n');
    assert.deepEqual(added.labels, ['sport', 'very_good']);
    assert.match(notes.join(' '), /"very good" was written as "very_good"/);
    const none = await appendAndRead(multiLabel(file, 'fasttext'), 'meh', []);
    assert.equal(none.written, 'meh\n');
    assert.deepEqual(none.added.labels, []);
  });
});

describe('appendExample: multi-label folder', () => {
  function folder(): string {
    const root = temp.fresh('folder');
    for (const [label, name, text] of [
      ['joy', 'a.txt', 'sunny'],
      ['weather', 'a.txt', 'sunny'],
      ['weather', 'b.txt', 'rain'],
    ]) {
      fs.mkdirSync(path.join(root, label), { recursive: true });
      fs.writeFileSync(path.join(root, label, name), text);
    }
    return root;
  }

  it('writes a file of the same name in each label folder, read back as one example with both labels', async () => {
    const root = folder();
    const result = await appendExample(multiLabel(root, 'folder'), 'a goal', ['sport', 'joy']);
    assert.equal(result.files?.length, 2);
    assert.equal(result.file, result.files?.[0]);
    assert.deepEqual(
      result.files?.map((f) => path.relative(root, path.dirname(f))),
      ['sport', 'joy'],
    );
    assert.equal(path.basename(result.files[0]), path.basename(result.files[1]));
    const now = await readDataset(root);
    const added = now.examples.find((e) => e.text === 'a goal');
    assert.deepEqual(added?.labels, ['joy', 'sport'], 'class folders are read in name order');
    assert.equal(now.examples.length, 3);
  });

  it('refuses a row with no label, and an unsafe label before writing anything', async () => {
    const root = folder();
    const before = fs.readdirSync(root, { recursive: true });
    await assert.rejects(appendExample(multiLabel(root, 'folder'), 'meh', []), /no label to a folder dataset/);
    await assert.rejects(appendExample(multiLabel(root, 'folder'), 'meh', ['sport', '../up']), /path separator/);
    assert.deepEqual(fs.readdirSync(root, { recursive: true }), before);
  });
});

describe('appendExample: two labels of one class folder', () => {
  it('refuses them (a link to a class folder, or one name in two cases where case is ignored) instead of looping', async () => {
    const root = temp.fresh('linked');
    fs.mkdirSync(path.join(root, 'weather'), { recursive: true });
    fs.writeFileSync(path.join(root, 'weather', 'a.txt'), 'rain');
    fs.symlinkSync(path.join(root, 'weather'), path.join(root, 'rain'));
    await assert.rejects(
      appendExample(multiLabel(root, 'folder'), 'storm', ['weather', 'rain']),
      /the labels "weather" and "rain" are the same class folder here/,
    );
    assert.deepEqual(fs.readdirSync(path.join(root, 'weather')), ['a.txt']);
  });
});

describe('appendExample: several labels and a single-label dataset', () => {
  const single = (file: string): AppendTarget => ({ path: file, format: 'csv', columns: { text: 'text', label: 'label' } });

  it('refuses two labels, and takes a list of one as that label', async () => {
    const file = write('single.csv', 'text,label\nsunny,joy\nrain,weather\n');
    await refuses(appendExample(single(file), 'goal', ['sport', 'joy']), /2 labels: the dataset is single-label/, file);
    await refuses(appendExample(single(file), 'goal', []), /empty label/, file);
    await appendExample(single(file), 'goal', ['sport']);
    assert.equal(fs.readFileSync(file, 'utf8'), 'text,label\nsunny,joy\nrain,weather\ngoal,sport\n');
  });
});
