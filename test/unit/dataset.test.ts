import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { detectFormat, readDataset, validateExamples } from '../../src/core/data/dataset';
import { TextcatError, type Example, type LoadedDataset } from '../../src/core/types';
import { tempFiles } from './tempFiles';

const temp = tempFiles('textcat-');
const { write, writeFolder } = temp;

async function rejectsWith(promise: Promise<unknown>, expected: { message: RegExp; line?: number }): Promise<TextcatError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof TextcatError, `expected a TextcatError, got ${String(error)}`);
    assert.match(error.message, expected.message);
    if (expected.line !== undefined) assert.equal(error.line, expected.line, error.message);
    return error;
  }
  assert.fail('expected the promise to reject');
}

function pairs(dataset: LoadedDataset): [string, string, number][] {
  return dataset.examples.map((e) => [e.text, e.label, e.line]);
}

/** '我喜欢机器学习' ("I like machine learning") in GB18030, written out by hand. */
const GB18030_SENTENCE = Buffer.from('CED2CFB2BBB6BBFAC6F7D1A7CFB0', 'hex');

describe('readDataset: CSV and TSV', () => {
  it('parses RFC 4180 quoting: commas, doubled quotes and newlines inside quotes', async () => {
    const file = write(
      'quotes.csv',
      'text,label\n"hello, world",greeting\n"she said ""hi""",quote\n"line one\nline two\nline three",multi\nplain,greeting\n',
    );
    const dataset = await readDataset(file);
    assert.deepEqual(pairs(dataset), [
      ['hello, world', 'greeting', 2],
      ['she said "hi"', 'quote', 3],
      ['line one\nline two\nline three', 'multi', 4],
      ['plain', 'greeting', 7],
    ]);
    assert.equal(dataset.format, 'csv');
  });

  it('reports the line where a multi-line record starts with CRLF endings, blank lines and a BOM', async () => {
    const file = write('crlf.csv', '\uFEFFtext,label\r\n\r\n"a\r\nb",x\r\nc,y\r\n\r\n"d",x\r\n');
    const dataset = await readDataset(file);
    assert.deepEqual(dataset.columns.available, ['text', 'label']);
    assert.deepEqual(pairs(dataset), [
      ['a\r\nb', 'x', 3],
      ['c', 'y', 5],
      ['d', 'x', 7],
    ]);
  });

  it('reads TSV, including quoted fields', async () => {
    const file = write(
      'data.tsv',
      'sentence\tintent\nbook a flight\ttravel\n"play\tmusic"\tmedia\nwake me up\talarm\nfly to Oslo\ttravel\n',
    );
    const dataset = await readDataset(file);
    assert.equal(dataset.format, 'tsv');
    assert.deepEqual(
      dataset.examples.map((e) => e.label),
      ['travel', 'media', 'alarm', 'travel'],
    );
    assert.equal(dataset.examples[1].text, 'play\tmusic');
  });

  it('trims texts and labels but keeps internal newlines, markup and numbers as exact strings', async () => {
    const file = write('verbatim.csv', 'text,label\n"  first\nsecond  ", <img src=x onerror=alert(1)> \nthird,0\nfourth,1\n');
    const dataset = await readDataset(file);
    assert.deepEqual(pairs(dataset), [
      ['first\nsecond', '<img src=x onerror=alert(1)>', 2],
      ['third', '0', 4],
      ['fourth', '1', 5],
    ]);
  });

  it('reads Chinese text', async () => {
    const file = write('zh.csv', 'text,label\n我喜欢机器学习,正面\n今天天气很糟糕,负面\n这部电影真好看,正面\n');
    const dataset = await readDataset(file);
    assert.deepEqual(
      dataset.examples.map((e) => [e.text, e.label]),
      [
        ['我喜欢机器学习', '正面'],
        ['今天天气很糟糕', '负面'],
        ['这部电影真好看', '正面'],
      ],
    );
  });

  it('keeps 77 distinct classes', async () => {
    const rows = Array.from({ length: 77 * 3 }, (_, i) => `example number ${i} about topic ${i % 77},class_${i % 77}`);
    const dataset = await readDataset(write('banking77.csv', `text,label\n${rows.join('\n')}\n`));
    assert.equal(new Set(dataset.examples.map((e) => e.label)).size, 77);
    assert.deepEqual(dataset.warnings, []);
  });

  it('hashes the raw bytes it streamed', async () => {
    const content = 'text,label\ngood movie,pos\nbad movie,neg\n';
    const dataset = await readDataset(write('hash.csv', content));
    assert.equal(dataset.sha256, createHash('sha256').update(content).digest('hex'));
  });

  it('streams a ~20 MB CSV', async () => {
    const row = (i: number) => `"review ${i}: ${'a fairly long sentence, with commas. '.repeat(5)}",${i % 3 === 0 ? 'neg' : 'pos'}\n`;
    const rows: string[] = ['text,label\n'];
    let size = 0;
    for (let i = 0; size < 20 * 1024 * 1024; i++) {
      rows.push(row(i));
      size += rows[rows.length - 1].length;
    }
    const file = write('big.csv', rows.join(''));
    const dataset = await readDataset(file);
    assert.equal(dataset.examples.length, rows.length - 1);
    assert.equal(dataset.examples.at(-1)?.line, rows.length);
    assert.equal(dataset.sha256, createHash('sha256').update(fs.readFileSync(file)).digest('hex'));
  });
});

describe('readDataset: JSONL, JSON, fastText, folder', () => {
  it('reads JSONL, skipping blank lines and turning number labels into strings', async () => {
    const file = write('data.jsonl', '{"text": "good", "label": 1}\n\n{"text": "bad", "label": 0}\r\n{"text": "fine", "label": 1}');
    const dataset = await readDataset(file);
    assert.equal(dataset.format, 'jsonl');
    assert.deepEqual(pairs(dataset), [
      ['good', '1', 1],
      ['bad', '0', 3],
      ['fine', '1', 4],
    ]);
  });

  it('reads a JSON array and reports the line each object starts on', async () => {
    const file = write(
      'data.json',
      '[\n  {"text": "good, [really]", "label": "pos"},\n  {\n    "text": "bad \\" {",\n    "label": "neg"\n  }\n]\n',
    );
    const dataset = await readDataset(file);
    assert.equal(dataset.format, 'json');
    assert.deepEqual(pairs(dataset), [
      ['good, [really]', 'pos', 2],
      ['bad " {', 'neg', 3],
    ]);
  });

  it('reads fastText lines as single-label, taking the first of several labels', async () => {
    const file = write(
      'data.txt',
      '__label__spam win money now\n\n__label__ham __label__personal see you at lunch\n__label__spam cheap pills\n',
    );
    const dataset = await readDataset(file, { multiLabel: false });
    assert.equal(dataset.format, 'fasttext');
    assert.equal(dataset.columns.source, 'format');
    assert.deepEqual(pairs(dataset), [
      ['win money now', 'spam', 1],
      ['see you at lunch', 'ham', 3],
      ['cheap pills', 'spam', 4],
    ]);
  });

  it('reads a folder with one subfolder per class, one example per file', async () => {
    const root = writeFolder('folder', {
      'pos/a.txt': 'a great film\nwith two lines',
      'pos/b.txt': 'loved it',
      'neg/c.txt': 'boring',
      'neg/nested/d.txt': 'too long',
      'neg/.DS_Store': '\0\0binary',
      'README.md': 'not an example',
    });
    const dataset = await readDataset(root);
    assert.equal(dataset.format, 'folder');
    assert.deepEqual(
      dataset.examples.map((e) => [e.text, e.label, e.line, path.relative(root, e.file ?? '')]),
      [
        ['boring', 'neg', 1, path.join('neg', 'c.txt')],
        ['too long', 'neg', 1, path.join('neg', 'nested', 'd.txt')],
        ['a great film\nwith two lines', 'pos', 1, path.join('pos', 'a.txt')],
        ['loved it', 'pos', 1, path.join('pos', 'b.txt')],
      ],
    );
    assert.match(dataset.warnings.join('\n'), /Ignored 1 file/);
    assert.match(dataset.sha256, /^[0-9a-f]{64}$/);
  });
});

describe('detectFormat', () => {
  it('goes by extension, fastText content and folders', async () => {
    assert.equal(await detectFormat(write('a.csv', 'x')), 'csv');
    assert.equal(await detectFormat(write('a.TSV', 'x')), 'tsv');
    assert.equal(await detectFormat(write('a.tab', 'x')), 'tsv');
    assert.equal(await detectFormat(write('a.jsonl', 'x')), 'jsonl');
    assert.equal(await detectFormat(write('a.ndjson', 'x')), 'jsonl');
    assert.equal(await detectFormat(write('a.json', 'x')), 'json');
    assert.equal(await detectFormat(write('a.txt', '\uFEFF\n\n__label__a text')), 'fasttext');
    assert.equal(await detectFormat(write('a.ft', '__label__a text')), 'fasttext');
    assert.equal(await detectFormat(writeFolder('classes', { 'a/1.txt': 'x' })), 'folder');
  });

  it('refuses a .txt that is not fastText, an unknown extension and a missing path', async () => {
    await rejectsWith(detectFormat(write('notes.txt', 'just some notes')), { message: /not in fastText format/ });
    await rejectsWith(detectFormat(write('data.xlsx', 'x')), { message: /unknown dataset type "\.xlsx"/ });
    await rejectsWith(readDataset(path.join(temp.dir, 'missing.csv')), { message: /does not exist/ });
  });
});

describe('column choice', () => {
  it('recognises header names case-insensitively', async () => {
    const file = write('named.csv', 'id,Review,Sentiment\n1,great phone,positive\n2,broke in a week,negative\n');
    const { columns } = await readDataset(file);
    assert.deepEqual(
      { text: columns.text, label: columns.label, source: columns.source, confident: columns.confident },
      { text: 'Review', label: 'Sentiment', source: 'header', confident: true },
    );
    assert.deepEqual(columns.available, ['id', 'Review', 'Sentiment']);
  });

  it('guesses from the data when header names are unknown: the label has few short values', async () => {
    const texts = [
      'the battery lasts all day',
      'screen cracked after one drop',
      'fast delivery and good price',
      'never buying this brand again',
      'works exactly as described',
      'the charger stopped working',
      'my kids love it',
      'customer service ignored me',
    ];
    const rows = texts.map((text, i) => `${text},${i % 2 === 0 ? 'good' : 'bad'}`);
    const dataset = await readDataset(write('ab.csv', `a,b\n${rows.join('\n')}\n`));
    assert.equal(dataset.columns.text, 'a');
    assert.equal(dataset.columns.label, 'b');
    assert.equal(dataset.columns.source, 'data');
    assert.equal(dataset.columns.confident, true);
    assert.equal(dataset.examples[0].label, 'good');
  });

  it('guesses the missing column from the data when the header names only one', async () => {
    const file = write('half.csv', 'text,foo\nlong text here,x\nanother long text,y\nyet another,x\n');
    const { columns } = await readDataset(file);
    assert.deepEqual([columns.text, columns.label, columns.source], ['text', 'foo', 'data']);
  });

  it('is not confident when two columns look alike', async () => {
    const file = write('alike.csv', 'p,q\nx,y\ny,x\nx,x\ny,y\n');
    const { columns } = await readDataset(file);
    assert.equal(columns.source, 'data');
    assert.equal(columns.confident, false);
  });

  it('takes columns from options, by name or by 0-based index', async () => {
    const file = write('override.csv', 'text,label,topic\nhello there,greet,chat\nbye now,leave,chat\nhi,greet,other\n');
    const byName = await readDataset(file, { textColumn: 'text', labelColumn: 'topic' });
    assert.deepEqual([byName.columns.label, byName.columns.source], ['topic', 'option']);
    assert.deepEqual(
      byName.examples.map((e) => e.label),
      ['chat', 'chat', 'other'],
    );
    const byIndex = await readDataset(file, { labelColumn: '2' });
    assert.deepEqual([byIndex.columns.text, byIndex.columns.label], ['text', 'topic']);
  });

  it('refuses a file with a single column', async () => {
    await rejectsWith(readDataset(write('one-column.csv', 'text\nhello\nbye\n')), {
      message: /needs a text column and a label column, but has only "text"/,
    });
  });

  it('names the available columns when an override names a missing one', async () => {
    const file = write('missing-column.csv', 'text,label\na,x\nb,y\n');
    const error = await rejectsWith(readDataset(file, { labelColumn: 'category' }), {
      message: /no label column "category"; available columns: "text", "label"/,
    });
    assert.equal(error.file, file);
    await rejectsWith(readDataset(file, { textColumn: '5' }), { message: /no text column "5"/ });
  });
});

describe('readDataset: problems in the data', () => {
  it('names the line where an unclosed quote opened', async () => {
    const file = write('unclosed.csv', 'text,label\nfine,a\n\n"never closed,b\nmore,a\nand more,b\n');
    await rejectsWith(readDataset(file), { message: /quoted field that starts on this line is never closed/, line: 4 });
  });

  it('names the line of a row with the wrong number of fields', async () => {
    const file = write('ragged.csv', 'text,label\n"multi\nline",a\nhello, world,b\n');
    await rejectsWith(readDataset(file), { message: /has 3 fields but the header has 2/, line: 4 });
  });

  it('refuses an empty file, a header without rows and a file of blank lines', async () => {
    await rejectsWith(readDataset(write('empty.csv', '')), { message: /is empty/ });
    await rejectsWith(readDataset(write('blank.csv', '\n\n  \n')), { message: /is empty/ });
    await rejectsWith(readDataset(write('header.csv', 'text,label\n')), { message: /header but no rows/ });
    await rejectsWith(readDataset(write('empty.jsonl', '\n\n')), { message: /is empty/ });
    await rejectsWith(readDataset(write('empty.json', '')), { message: /is empty/ });
    await rejectsWith(readDataset(write('empty.txt', '__label__a\n'), { format: 'fasttext' }), { message: /no examples/ });
  });

  it('refuses a dataset with only one class', async () => {
    await rejectsWith(readDataset(write('one-class.csv', 'text,label\na,same\nb,same\n')), { message: /only one class \("same"\)/ });
  });

  it('warns about a class with a single example but keeps going', async () => {
    const dataset = await readDataset(write('single.csv', 'text,label\na,x\nb,x\nc,lonely\n'));
    assert.equal(dataset.examples.length, 3);
    assert.deepEqual(dataset.warnings, ['Class "lonely" has only one example, too few to both learn and check it.']);
  });

  it('skips rows with an empty text or label, counting them and naming the first line', async () => {
    const dataset = await readDataset(write('holes.csv', 'text,label\na,x\n  ,y\nb,\nc,y\nd,x\ne,y\n'));
    assert.deepEqual(
      dataset.examples.map((e) => e.text),
      ['a', 'c', 'd', 'e'],
    );
    assert.deepEqual(dataset.warnings, ['Skipped 2 rows with an empty text or label (the first: line 3).']);
    const jsonl = await readDataset(
      write(
        'null.jsonl',
        '{"text":"a","label":"x"}\n{"text":null,"label":"x"}\n{"text":"b","label":"y"}\n{"text":"c","label":"y"}\n{"text":"d","label":"x"}\n',
      ),
    );
    assert.match(jsonl.warnings.join(), /Skipped 1 row .*line 2/);
  });

  it('names the line of invalid JSON in JSONL and of a bad JSON file', async () => {
    await rejectsWith(readDataset(write('bad.jsonl', '{"text":"a","label":"x"}\n\n{"text":"b",}\n')), {
      message: /invalid JSON on line 3/,
      line: 3,
    });
    // V8 gives a position for a missing comma, which we turn into a line.
    await rejectsWith(readDataset(write('bad.json', '[\n {"text":"a","label":"x"},\n {"text":"b" "label":"y"}\n]')), {
      message: /is not valid JSON/,
      line: 3,
    });
    await rejectsWith(readDataset(write('object.json', '{"text":"a","label":"x"}')), { message: /JSON array of objects/ });
  });

  it('names the line of a JSON object without the text or label key', async () => {
    await rejectsWith(readDataset(write('nokey.jsonl', '{"text":"a","label":"x"}\n{"text":"b","label":"y"}\n{"label":"x"}\n')), {
      message: /no "text" key/,
      line: 3,
    });
    await rejectsWith(readDataset(write('nokey.json', '[{"text":"a","label":"x"},\n{"text":"b"}]')), {
      message: /no "label" key/,
      line: 2,
    });
  });

  it('refuses a label that is a list when read as single-label', async () => {
    await rejectsWith(
      readDataset(write('multi.jsonl', '{"text":"a","label":"x"}\n{"text":"b","label":["x","y"]}\n'), { multiLabel: false }),
      {
        message: /label field "label" is a list/,
        line: 2,
      },
    );
  });

  it('names UTF-16 as the encoding instead of calling the file binary', async () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('text,label\nhello,a\nbye,b\n', 'utf16le')]);
    await rejectsWith(readDataset(write('utf16.csv', bytes)), { message: /is not UTF-8 \(it looks like UTF-16LE\)/ });
  });

  it('refuses a binary file', async () => {
    const bytes = Buffer.concat([Buffer.from('text,label\n'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d])]);
    await rejectsWith(readDataset(write('image.csv', bytes)), { message: /looks like a binary file/ });
  });

  it('names the encoding of a GB18030 file', async () => {
    const row = Buffer.concat([GB18030_SENTENCE, Buffer.from(',pos\n')]);
    const bytes = Buffer.concat([Buffer.from('text,label\n'), ...Array.from({ length: 12 }, () => row)]);
    await rejectsWith(readDataset(write('gbk.csv', bytes)), {
      message: /is not UTF-8 \(it looks like GB18030\); convert it to UTF-8, e.g. iconv -f GB18030 -t UTF-8/,
      line: 2,
    });
  });

  it('names the encoding of a Latin-1 file', async () => {
    const bytes = Buffer.from(
      'text,label\nun caf\xe9 tr\xe8s bon,pos\nun r\xe9sultat d\xe9cevant,neg\nla cr\xe8me br\xfbl\xe9e,pos\n',
      'latin1',
    );
    await rejectsWith(readDataset(write('latin1.csv', bytes)), {
      message: /is not UTF-8 \(it looks like (ISO-8859-1|windows-1252)\)/,
      line: 2,
    });
  });

  it('accepts a multi-byte character split across two read chunks, and finds bad bytes past the first chunk', async () => {
    // createReadStream reads 64 KiB at a time; put a 3-byte '学' across that boundary.
    const header = 'text,label\n';
    const filler = 'x'.repeat(64 * 1024 - header.length - 1 - 3) + ',a\n';
    const good = Buffer.concat([Buffer.from(header + filler), Buffer.from('学习,b\nmore,a\n')]);
    assert.equal(good.indexOf(Buffer.from('学')), 64 * 1024 - 1);
    const dataset = await readDataset(write('boundary.csv', good));
    assert.equal(dataset.examples[1].text, '学习');
    const bad = Buffer.concat([good, Buffer.from('caf\xe9,b\n', 'latin1')]);
    await rejectsWith(readDataset(write('late-bad.csv', bad)), { message: /is not UTF-8/, line: 5 });
  });

  it('refuses a file cut off in the middle of a multi-byte character', async () => {
    const bytes = Buffer.concat([Buffer.from('text,label\nok,a\nfine,b\n'), Buffer.from('学').subarray(0, 2)]);
    await rejectsWith(readDataset(write('truncated.csv', bytes)), { message: /is not UTF-8/ });
  });
});

describe('validateExamples', () => {
  const example = (label: string, line: number): Example => ({ text: `text ${line}`, label, line });

  it('throws on no examples and on one class', () => {
    assert.throws(
      () => validateExamples([], 'f.csv'),
      (e) => e instanceof TextcatError && /no examples/.test(e.message),
    );
    assert.throws(() => validateExamples([example('a', 2), example('a', 3)], 'f.csv'), /only one class/);
  });

  it('lists at most five single-example classes', () => {
    const examples = [example('big', 1), example('big', 2), ...'abcdefg'.split('').map((label, i) => example(label, i + 3))];
    assert.deepEqual(validateExamples(examples, 'f.csv'), [
      'Classes "a", "b", "c", "d", "e" and 2 more have only one example, too few to both learn and check it.',
    ]);
  });
});
