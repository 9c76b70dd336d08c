// The dataset readers and the tokenizer against hostile input, in-process: files that are not text, not files,
// or far too long or wide; and bounded tokenization, which must give exactly the tokens of the whole text.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { readDataset } from '../../src/core/data/dataset';
import { chooseColumns } from '../../src/core/datasetFormats/columns';
import { createRng } from '../../src/core/random';
import { Tokenizer } from '../../src/core/text/tokenizer';
import { TextcatError, type TokenizerConfig } from '../../src/core/types';
import { tempDir } from './hostileHelpers';

let dir: string;
let count = 0;

before(() => (dir = tempDir('readers')));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: string | Uint8Array): string {
  const file = path.join(dir, `${++count}-${name}`);
  fs.writeFileSync(file, content);
  return file;
}

async function rejects(promise: Promise<unknown>, file: string, message: RegExp, line?: number): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof TextcatError, `not a TextcatError: ${String(error)}`);
    assert.ok(error.message.startsWith(file), `does not name ${file}: ${error.message}`);
    assert.match(error.message, message);
    if (line !== undefined) assert.equal(error.line, line, error.message);
    return true;
  });
}

const CSV = 'text,label\ngood day,pos\nbad day,neg\n';

describe('hostile datasets: not text', () => {
  it('UTF-16 without a BOM, little- and big-endian, is named UTF-16 (not "binary")', async () => {
    const le = Buffer.from(CSV, 'utf16le');
    await rejects(readDataset(write('le.csv', le)), dir, /is not UTF-8 \(it looks like UTF-16LE\); convert it .*iconv -f UTF-16LE/);
    await rejects(readDataset(write('be.csv', Buffer.from(le).swap16())), dir, /it looks like UTF-16BE/);
  });

  it('UTF-16 with a BOM but no NUL (all Chinese) is named UTF-16 too', async () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('文本，标签\n好，正\n', 'utf16le')]);
    await rejects(readDataset(write('zh16.csv', bytes)), dir, /it looks like UTF-16LE/);
  });

  it('UTF-32, by BOM or by its NUL pattern, is named UTF-32', async () => {
    const utf32 = (s: string, le: boolean) =>
      Buffer.concat(
        [...s].map((c) => {
          const b = Buffer.alloc(4);
          if (le) b.writeUInt32LE(c.codePointAt(0)!);
          else b.writeUInt32BE(c.codePointAt(0)!);
          return b;
        }),
      );
    await rejects(readDataset(write('32le.csv', utf32(CSV, true))), dir, /it looks like UTF-32LE/);
    await rejects(readDataset(write('32be.csv', utf32(CSV, false))), dir, /it looks like UTF-32BE/);
    await rejects(readDataset(write('32bom.csv', Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), utf32(CSV, true)]))), dir, /UTF-32LE/);
  });

  it('all NUL, mostly NUL, and a valid start then NULs are binary, at the line of the first NUL', async () => {
    await rejects(readDataset(write('zeros.csv', Buffer.alloc(5000))), dir, /looks like a binary file/, 1);
    const mostly = Buffer.alloc(5000);
    mostly.write('text,label\n');
    await rejects(readDataset(write('mostly.csv', mostly)), dir, /looks like a binary file/, 2);
    const late = Buffer.concat([Buffer.from(`${CSV}${'more text,pos\n'.repeat(10_000)}`), Buffer.from([0, 0, 0])]);
    await rejects(readDataset(write('late.csv', late)), dir, /looks like a binary file/, 10_004);
  });

  it('a NUL in any format stops reading (JSONL, JSON, fastText, a folder example)', async () => {
    await rejects(readDataset(write('nul.jsonl', '{"text":"a","label":"b"}\n{"text":"\0"}\n')), dir, /binary/, 2);
    await rejects(readDataset(write('nul.json', '[{"text":"a",\n"label":"\0"}]')), dir, /binary/, 2);
    await rejects(readDataset(write('nul.txt', '__label__a good\n__label__b \0 bad\n')), dir, /binary/, 2);
    const folder = path.join(dir, `${++count}-folder`);
    fs.mkdirSync(path.join(folder, 'a'), { recursive: true });
    fs.mkdirSync(path.join(folder, 'b'));
    fs.writeFileSync(path.join(folder, 'a', '1.txt'), 'fine');
    fs.writeFileSync(path.join(folder, 'b', '2.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]));
    await rejects(readDataset(folder), path.join(folder, 'b', '2.png'), /binary/);
  });
});

describe('hostile datasets: not files', () => {
  it('/dev/zero, /dev/null and a socket are refused by type before reading; a FIFO of unknown format before opening it', async () => {
    await rejects(readDataset('/dev/zero'), '/dev/zero', /is a character device, not a dataset/);
    await rejects(readDataset('/dev/null', { format: 'csv' }), '/dev/null', /is a character device, not a dataset/);
    // Read once only (test/unit/trainPipe.test.ts reads them): its first line cannot be peeked at to guess the format.
    const fifo = path.join(dir, `${++count}-fifo.txt`);
    spawnSync('mkfifo', [fifo]);
    await rejects(readDataset(fifo), fifo, /is a pipe whose format is not known from its name; give it with --format/);
    const socketPath = path.join(dir, `${++count}-sock.csv`);
    const server = net.createServer().listen(socketPath);
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      await rejects(readDataset(socketPath), socketPath, /is a socket, not a dataset/);
    } finally {
      server.close();
    }
  });

  it('a folder given with a file format, and a file given as a folder', async () => {
    await rejects(readDataset(dir, { format: 'csv' }), dir, /is a folder; read it with the "folder" format/);
    const file = write('plain.csv', CSV);
    await rejects(readDataset(file, { format: 'folder' }), file, /is a regular file, not a folder; the folder format/);
  });

  it('path errors: a trailing slash after a file, a missing file, a name too long, a symlink loop', async () => {
    const file = write('data.csv', CSV);
    await rejects(readDataset(`${file}/`), `${file}/`, /a part of this path is a file, not a folder/);
    await rejects(readDataset(path.join(dir, 'missing.csv')), path.join(dir, 'missing.csv'), /does not exist/);
    const long = path.join(dir, `${'x'.repeat(300)}.csv`);
    await rejects(readDataset(long), long, /too long for the file system/);
    const loop = path.join(dir, `${++count}-loop.csv`);
    fs.symlinkSync(`${loop}.b`, loop);
    fs.symlinkSync(loop, `${loop}.b`);
    await rejects(readDataset(loop), loop, /symbolic link that points to itself/);
  });

  it('an unknown format name is refused instead of failing inside (it used to be an internal error)', async () => {
    const file = write('data.csv', CSV);
    await rejects(readDataset(file, { format: 'xml' as never }), file, /cannot be read as "xml": the formats are csv, tsv/);
  });
});

describe('hostile datasets: too long, too wide', () => {
  it('a line over 8 MiB (no line breaks at all) stops there, naming the line', async () => {
    const file = write('oneline.jsonl', `{"text":"a","label":"b"}\n${'x'.repeat(9 * 2 ** 20)}`);
    await rejects(readDataset(file), file, /line 2 is longer than 8 MiB/, 2);
  });

  it('an unclosed quote stops at the record limit instead of reading the rest of the file, naming where it opened', async () => {
    const file = write('unclosed.csv', `text,label\ngood,pos\n"never closed,neg\n${'more text,pos\n'.repeat(700_000)}`);
    await rejects(readDataset(file), file, /the record that starts on this line is longer than 8 MiB.*if a quote is never closed/, 3);
  });

  it('20,000 columns are refused at the header; 1,000 are read (column guessing stays linear)', async () => {
    const wide = (n: number) => {
      const header = Array.from({ length: n }, (_, i) => `c${i}`).join(',');
      const cell = (i: number, k: number) => (i === 3 ? `some longer text number ${k}` : i === 5 ? `class${k % 2}` : `id${k}x${i}`);
      const row = (k: number) => Array.from({ length: n }, (_, i) => cell(i, k)).join(',');
      return `${header}\n${Array.from({ length: 20 }, (_, k) => row(k)).join('\n')}\n`;
    };
    const file = write('wide.csv', wide(20_000));
    await rejects(readDataset(file), file, /has 20000 columns, more than the 1000 Textcat reads/, 1);
    const ok = await readDataset(write('ok.csv', wide(1000)));
    assert.deepEqual([ok.columns.text, ok.columns.label], ['c3', 'c5']);
  });

  it('JSON with more than 1,000 different keys is refused, naming the line', async () => {
    const lines = Array.from({ length: 30 }, (_, k) =>
      JSON.stringify(
        Object.fromEntries(
          Array.from({ length: 50 }, (_, i) => [`k${k}_${i}`, 'x']).concat([
            ['text', 't'],
            ['label', 'l'],
          ]),
        ),
      ),
    );
    const file = write('keys.jsonl', `${lines.join('\n')}\n`);
    await rejects(readDataset(file), file, /more than 1000 different keys/, 20);
  });

  it('a JSON array over 64 MiB is refused with the JSONL hint', async () => {
    const file = write('big.json', `[${' '.repeat(65 * 2 ** 20)}]`);
    await rejects(readDataset(file), file, /larger than 64 MiB, the most Textcat reads as one JSON array.*JSON Lines/);
  });

  it('an example file over 8 MiB in a folder dataset is refused', async () => {
    const folder = path.join(dir, `${++count}-bigfolder`);
    fs.mkdirSync(path.join(folder, 'a'), { recursive: true });
    fs.mkdirSync(path.join(folder, 'b'));
    fs.writeFileSync(path.join(folder, 'a', '1.txt'), 'fine');
    fs.truncateSync(path.join(folder, 'a', '1.txt'), 9 * 2 ** 20);
    await rejects(readDataset(folder), path.join(folder, 'a', '1.txt'), /larger than 8 MiB/);
  });

  it('a 128 KB text field trains like any other (it is read, then tokenized only as far as maxLength)', async () => {
    const field = 'word '.repeat(26_000);
    const dataset = await readDataset(write('bigfield.csv', `text,label\n"${field}",pos\nshort,neg\n`));
    assert.equal(dataset.examples[0].text, field.trim());
    const tokenizer = Tokenizer.fit([dataset.examples[0].text]);
    assert.equal(tokenizer.encode(dataset.examples[0].text).length, 64);
  });
});

describe('hostile tokenization: bounded, and identical to tokenizing the whole text', () => {
  const segmenter = new Intl.Segmenter(undefined, { granularity: 'word' });
  const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

  /** The plain definition, whole text at once: what the bounded version must reproduce. */
  function reference(text: string, config: TokenizerConfig): string[] {
    let normalised = text.normalize('NFKC');
    if (config.lowercase) normalised = normalised.toLowerCase();
    const out: string[] = [];
    if (config.mode === 'word') {
      for (const { segment, isWordLike } of segmenter.segment(normalised))
        if (isWordLike || (config.keepPunctuation && !/^\s+$/u.test(segment))) out.push(segment);
    } else {
      for (const { segment } of graphemes.segment(normalised)) {
        if (/^\s+$/u.test(segment) || (!config.keepPunctuation && /^\p{P}+$/u.test(segment))) continue;
        out.push(segment);
      }
    }
    return out;
  }

  const configs: TokenizerConfig[] = (['word', 'char'] as const).flatMap((mode) =>
    [false, true].flatMap((keepPunctuation) =>
      [true, false].map((lowercase) => ({ mode, keepPunctuation, lowercase, maxVocab: 100, minCount: 1, maxLength: 64 })),
    ),
  );
  const tokenizer = (config: TokenizerConfig) => new Tokenizer(config, ['<pad>', '<oov>']);

  const ENGLISH = "The server crashed again at 3,000 requests/s. Can't connect: e.g. retrying in 5.5s! Why? ";
  const CHINESE = '我喜欢机器学习，也喜欢自然语言处理。服务器又崩溃了！为什么？请稍后再试、谢谢。';
  const MIXED = 'Textcat 很好用 👍🏽 ΣΊΣΥΦΟΣ café naïve ｆｕｌｌｗｉｄｔｈ ﬁle Ⅻ 한국어 ภาษาไทย ';

  for (const [name, unit] of [
    ['English', ENGLISH],
    ['Chinese', CHINESE],
    ['mixed scripts, emoji, full-width, Greek final sigma', MIXED],
  ] as const) {
    it(`${name}: the first maxLength tokens of a long text equal whole-text tokenization, in every mode`, () => {
      const text = unit.repeat(Math.ceil(12_000 / unit.length));
      for (const config of configs) {
        const expected = reference(text, config);
        assert.deepEqual(tokenizer(config).tokenize(text, 64), expected.slice(0, 64), JSON.stringify(config));
        assert.deepEqual(tokenizer(config).tokenize(text, Infinity), expected, `all tokens, ${JSON.stringify(config)}`);
      }
    });
  }

  it('boundary cases: a cut point at every offset around the piece size, and texts with no cut point', () => {
    const config = configs[0];
    for (let offset = 1000; offset < 1040; offset++) {
      for (const filler of ['a', '中', 'e\u0301', '👍🏽']) {
        const text = `${filler.repeat(Math.ceil(offset / filler.length)).slice(0, offset)} tail words here! 尾巴。end`;
        assert.deepEqual(tokenizer(config).tokenize(text, Infinity), reference(text, config), `${filler} at ${offset}`);
      }
    }
    assert.deepEqual(tokenizer(config).tokenize(''), []);
    assert.deepEqual(tokenizer(config).tokenize('   !!! '), []);
  });

  it('random texts over a hostile alphabet (marks, joiners, surrogates, CJK, bidi) match the reference', () => {
    const alphabet = [
      'a',
      'Σ',
      'ς',
      'e\u0301',
      '\u0301',
      ' ',
      '  ',
      '\t',
      '\n',
      '\r\n',
      '!',
      '?',
      '。',
      '、',
      '！',
      '？',
      '，',
      '.',
      ',',
      ':',
      ';',
      '3',
      '1,000',
      '3.14',
      '中',
      '机器',
      '学习',
      'ア',
      'ﾊ',
      '한',
      '\u1100',
      '\u1161',
      '\u0600',
      '\u200d',
      '👍',
      '👨‍👩‍👧',
      '🇫🇷',
      '\ufe0f',
      'ก',
      '\u3000',
      '\u00a0',
      '¨',
      'ﬁ',
      'Ⅷ',
      '\u200b',
      '\u202e',
      "can't",
      'e.g.',
    ];
    const rng = createRng(3);
    for (let i = 0; i < 30; i++) {
      let text = '';
      while (text.length < 3000 + rng() * 3000) text += alphabet[Math.floor(rng() * alphabet.length)];
      for (const config of configs) assert.deepEqual(tokenizer(config).tokenize(text, Infinity), reference(text, config), `text ${i}`);
    }
  });

  it('Tokenizer.fit counts only the first maxLength tokens of each text: the model never sees the rest', () => {
    const fitted = Tokenizer.fit(['alpha beta gamma delta', 'alpha beta'], { maxLength: 2 });
    assert.deepEqual(fitted.vocab, ['<pad>', '<oov>', 'alpha', 'beta']);
  });
});

describe('hostile columns: guessing from the data pairs only the leaders, with the same answer', () => {
  /** The original every-pair search, as the reference. */
  function everyPair(available: string[], valuesOf: (c: string) => string[]) {
    const stats = (values: string[]) => {
      const present = values.filter((v) => v !== '');
      if (present.length === 0) return { d: 1, m: 0 };
      return { d: new Set(present).size / present.length, m: present.reduce((s, v) => s + v.length, 0) / present.length };
    };
    const text = ({ d, m }: { d: number; m: number }) => d * (m / (m + 20));
    const label = ({ d, m }: { d: number; m: number }) => (m === 0 ? 0 : (1 - d) * (20 / (m + 20)));
    const s = new Map(available.map((c) => [c, stats(valuesOf(c))]));
    const pairs = available
      .flatMap((t) => available.filter((l) => l !== t).map((l) => ({ t, l, score: text(s.get(t)!) + label(s.get(l)!) })))
      .sort((a, b) => b.score - a.score);
    return { text: pairs[0].t, label: pairs[0].l, confident: pairs.length < 2 || pairs[0].score - pairs[1].score >= 0.25 };
  }

  it('random tables (ties included) get the columns and confidence the every-pair search gives', () => {
    const rng = createRng(11);
    const pool = ['a', 'b', 'a long sentence of words', 'another long sentence', 'x', '', '42'];
    for (let t = 0; t < 300; t++) {
      const n = 2 + Math.floor(rng() * 9);
      const available = Array.from({ length: n }, (_, i) => `col${i}`);
      const table = new Map(available.map((c) => [c, Array.from({ length: 6 }, () => pool[Math.floor(rng() * pool.length)])]));
      const valuesOf = (c: string) => table.get(c)!;
      const got = chooseColumns(available, valuesOf, {}, 'x.csv');
      assert.deepEqual({ text: got.text, label: got.label, confident: got.confident }, everyPair(available, valuesOf), `table ${t}`);
    }
  });
});
