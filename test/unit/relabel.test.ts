// Relabel as…: one row's label changed in place in every format, the rest of the file byte for byte the same, the
// dataset read back with the new label, and a row that changed since it was read refused with nothing written.
import { describe, it } from 'node:test';
import { spawnSync } from 'node:child_process';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readDataset } from '../../src/core/data/dataset';
import { applyRelabelToFile, relabelEdit, type RelabelEdit } from '../../src/core/data/relabel';
import type { DatasetFormat, Example } from '../../src/core/types';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'textcat-relabel-'));
let count = 0;

function write(name: string, content: string | Buffer): string {
  const file = path.join(dir, `${++count}-${name}`);
  fs.writeFileSync(file, content);
  return file;
}

function applied(content: string, edit: RelabelEdit): string {
  assert.equal(edit.kind, 'replace');
  if (edit.kind !== 'replace') throw new Error('unreachable');
  return content.slice(0, edit.start) + edit.replacement + content.slice(edit.end);
}

/** Reads the dataset, relabels the row whose text is `text`, and returns the new content and the dataset read back. */
async function relabel(name: string, content: string, text: string, to: string, format?: DatasetFormat) {
  const file = write(name, content);
  const dataset = await readDataset(file, format ? { format } : {});
  const row = dataset.examples.find((e) => e.text === text)!;
  const edit = relabelEdit(content, dataset, row, to);
  applyRelabelToFile(file, edit);
  const after = fs.readFileSync(file, 'utf8');
  const reread = await readDataset(file, format ? { format } : {});
  return { before: dataset.examples, after, reread: reread.examples, edit };
}

function sameExceptRow(before: readonly Example[], after: readonly Example[], text: string, label: string): void {
  assert.deepEqual(
    after.map((e) => [e.text, e.label, e.line]),
    before.map((e) => [e.text, e.text === text ? label : e.label, e.line]),
  );
}

describe('relabelEdit', () => {
  it('CSV: replaces only the label field, quoting it when needed, and keeps CRLF, the BOM and other quoting', async () => {
    const content = '\ufefftext,label,note\r\n"disk ""full"", again",storage,x\r\nlogin failed,auth,"a,b"\r\n"multi\r\nline",auth,y\r\n';
    const { before, after, reread } = await relabel('data.csv', content, 'login failed', 'net, work');
    assert.equal(
      after,
      '\ufefftext,label,note\r\n"disk ""full"", again",storage,x\r\nlogin failed,"net, work","a,b"\r\n"multi\r\nline",auth,y\r\n',
    );
    sameExceptRow(before, reread, 'login failed', 'net, work');
    const multi = await relabel('multi.csv', content, 'multi\r\nline', 'storage');
    assert.ok(multi.after.endsWith('"multi\r\nline",storage,y\r\n'));
  });

  it('TSV, JSONL and a JSON array: the label value alone changes, the layout stays', async () => {
    const tsv = await relabel('data.tsv', 'label\ttext\nspam\twin a prize\nham\tsee you\nham\tok\n', 'see you', 'spam');
    assert.equal(tsv.after, 'label\ttext\nspam\twin a prize\nspam\tsee you\nham\tok\n');
    const jsonl = await relabel(
      'data.jsonl',
      '{"text": "a b", "label": "x", "n": 1}\n{ "label" : "y", "text":"c d" }\n{"text": "e", "label": "y"}\n',
      'c d',
      'x',
    );
    assert.equal(jsonl.after, '{"text": "a b", "label": "x", "n": 1}\n{ "label" : "x", "text":"c d" }\n{"text": "e", "label": "y"}\n');
    sameExceptRow(jsonl.before, jsonl.reread, 'c d', 'x');
    const array = '[\n  {"text": "one", "label": "a"},\n  {"text": "two", "label": "b"}\n]\n';
    const json = await relabel('data.json', array, 'two', 'say "a"');
    assert.equal(json.after, '[\n  {"text": "one", "label": "a"},\n  {"text": "two", "label": "say \\"a\\""}\n]\n');
    const oneLine = await relabel(
      'line.json',
      '[{"text":"one","label":"a"},{"text":"two","label":"b"},{"text":"3","label":"b"}]',
      'two',
      'a',
    );
    assert.equal(oneLine.after, '[{"text":"one","label":"a"},{"text":"two","label":"a"},{"text":"3","label":"b"}]');
  });

  it('fastText: the first label of the line, and a label with a space is refused', async () => {
    const { after, before, reread } = await relabel(
      'data.txt',
      '__label__spam win now\n__label__ham hello there\n__label__ham ok\n',
      'hello there',
      'spam',
      'fasttext',
    );
    assert.equal(after, '__label__spam win now\n__label__spam hello there\n__label__ham ok\n');
    sameExceptRow(before, reread, 'hello there', 'spam');
    const content = '__label__a x y\n__label__b z w\n';
    const file = write('space.txt', content);
    const dataset = await readDataset(file, { format: 'fasttext' });
    assert.throws(() => relabelEdit(content, dataset, dataset.examples[0], 'two words'), /cannot contain spaces/);
  });

  it('a folder per class: the file moves to the new class folder, and an existing file there is not replaced', async () => {
    const root = path.join(dir, 'folder');
    for (const [label, name, text] of [
      ['ham', '1.txt', 'see you later'],
      ['spam', '2.txt', 'win a prize'],
      ['spam', '3.txt', 'cheap pills'],
    ]) {
      fs.mkdirSync(path.join(root, label), { recursive: true });
      fs.writeFileSync(path.join(root, label, name), text);
    }
    const dataset = await readDataset(root);
    const row = dataset.examples.find((e) => e.text === 'cheap pills')!;
    const edit = relabelEdit('', dataset, row, 'ham');
    assert.deepEqual(edit, { kind: 'move', from: path.join(root, 'spam', '3.txt'), to: path.join(root, 'ham', '3.txt') });
    applyRelabelToFile(root, edit);
    assert.equal(fs.readFileSync(path.join(root, 'ham', '3.txt'), 'utf8'), 'cheap pills');
    assert.throws(() => relabelEdit('', dataset, row, '../out'), /cannot be a class folder/);
    fs.writeFileSync(path.join(root, 'spam', '1.txt'), 'other');
    const again = await readDataset(root);
    const seeYou = again.examples.find((e) => e.text === 'see you later')!;
    assert.throws(() => applyRelabelToFile(root, relabelEdit('', again, seeYou, 'spam')), /already exists/);
    assert.equal(fs.readFileSync(path.join(root, 'ham', '1.txt'), 'utf8'), 'see you later');
  });

  it('refuses a row that changed since it was read, and writes nothing', async () => {
    const content = 'text,label\nhello,a\nworld,b\n';
    const file = write('stale.csv', content);
    const dataset = await readDataset(file);
    const row = dataset.examples[1];
    const edited = 'text,label\nhello,a\nWORLD,b\n';
    assert.throws(() => relabelEdit(edited, dataset, row, 'a'), /line 3 no longer holds that row: the file changed since it was read/);
    assert.throws(() => relabelEdit('text,label\nhello,a\n', dataset, row, 'a'), /no longer holds that row|there is no line 3/);
    assert.throws(() => relabelEdit('txt,lbl\nhello,a\nworld,b\n', dataset, row, 'a'), /header no longer has the columns/);
    assert.equal(fs.readFileSync(file, 'utf8'), content);
  });

  it('the CLI rewrite leaves no temporary file and refuses a file that is not UTF-8', async () => {
    const file = write('latin1.csv', 'text,label\ncafe au lait,drink\ntea,drink\nbread,food\n');
    const dataset = await readDataset(file);
    // Rewritten in another encoding after it was read.
    fs.writeFileSync(file, Buffer.from('text,label\ncafe au lait,drink\ntea,drink\nbr\xe9ad,food\n', 'latin1'));
    const content = fs.readFileSync(file, 'latin1');
    const edit = relabelEdit(content, dataset, dataset.examples[0], 'food');
    assert.throws(() => applyRelabelToFile(file, edit), /is not UTF-8/);
    assert.deepEqual(
      fs.readdirSync(dir).filter((name) => name.includes('.relabel-')),
      [],
    );
    assert.equal(applied('ab', { kind: 'replace', start: 1, end: 2, replacement: 'c' }), 'ac');
  });
});

describe('textcat relabel', () => {
  const CLI = path.resolve(__dirname, '../../dist/cli.js');
  const run = (args: string[]) => spawnSync(process.execPath, [CLI, 'relabel', ...args], { cwd: dir, encoding: 'utf8', timeout: 60_000 });

  it('changes the row on the line given, checking --from, and says what it did', () => {
    const file = write('cli.csv', 'text,label\r\nwin a prize,ham\r\nsee you,ham\r\ncheap pills,spam\r\n');
    const refused = run([file, '--line', '2', '--from', 'spam', '--to', 'spam']);
    assert.equal(refused.status, 1, refused.stderr);
    assert.match(refused.stderr, /cli\.csv:2: the row's label is "ham", not "spam"; nothing was changed/);
    const r = run([file, '--line', '2', '--from', 'ham', '--to', 'spam']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /cli\.csv:2: "ham" → "spam"\n$/);
    assert.equal(fs.readFileSync(file, 'utf8'), 'text,label\r\nwin a prize,spam\r\nsee you,ham\r\ncheap pills,spam\r\n');
  });

  it('refuses bad usage (exit 2) and a line with no row (exit 1)', () => {
    const file = write('usage.csv', 'text,label\nx,a\ny,b\n');
    for (const args of [
      [file, '--to', 'a'],
      [file, '--line', '2'],
      [file, '--line', '0', '--to', 'a'],
      [file, '--line', '2', '--file', 'x', '--to', 'a'],
    ]) {
      assert.equal(run(args).status, 2, args.join(' '));
    }
    const none = run([file, '--line', '9', '--to', 'a']);
    assert.equal(none.status, 1);
    assert.match(none.stderr, /usage\.csv:9: no row starts on this line/);
    assert.equal(fs.readFileSync(file, 'utf8'), 'text,label\nx,a\ny,b\n');
  });
});
