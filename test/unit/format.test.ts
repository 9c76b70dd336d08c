// The one module each for percents, markdown escaping and CSV writing, the version from package.json, and the
// dataset endings the picker offers; every front end uses these, so their rules are checked here once.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readDataset } from '../../src/core/data/dataset';
import { DATASET_EXTENSIONS, FASTTEXT_EXTENSIONS, FORMAT_BY_EXTENSION } from '../../src/core/datasetFormats/fileTypes';
import { csvRecord, csvRecords } from '../../src/core/format/csv';
import { errorDetail, errorMessage } from '../../src/core/format/errorText';
import { escapeMarkdown } from '../../src/core/format/markdown';
import { percent, percentOr } from '../../src/core/format/percent';
import { TEXTCAT_VERSION } from '../../src/core/version';

const root = path.resolve(__dirname, '../..');
const packageJson = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  version: string;
  contributes: { menus: { 'explorer/context': { command: string; when: string }[] } };
};

describe('percent', () => {
  it('rounds to the digits asked for', () => {
    assert.equal(percent(0.973), '97%');
    assert.equal(percent(0.973, 1), '97.3%');
    assert.equal(percent(1), '100%');
    assert.equal(percent(0.0004, 1), '0.0%');
  });

  it('says what is missing instead of "NaN%"', () => {
    assert.equal(percentOr(undefined, 1, '–'), '–');
    assert.equal(percentOr(Number.NaN, 1, '-'), '-');
    assert.equal(percentOr(0.5, 1, '-'), '50.0%');
  });
});

describe('error text', () => {
  it('gives the message for a person and the stack for a log, whatever was thrown', () => {
    const error = new RangeError('out of range');
    assert.equal(errorMessage(error), 'out of range');
    assert.match(errorDetail(error), /^RangeError: out of range\n\s+at /);
    assert.equal(errorMessage('a string'), 'a string');
    assert.equal(errorDetail(42), '42');
  });
});

describe('escapeMarkdown', () => {
  it('turns every ASCII punctuation character into a literal one', () => {
    assert.equal(escapeMarkdown('<img src=x onerror=alert(1)>'), '\\<img src\\=x onerror\\=alert\\(1\\)\\>');
    assert.equal(escapeMarkdown('a|b *x* [l](command:x)'), 'a\\|b \\*x\\* \\[l\\]\\(command\\:x\\)');
    assert.equal(escapeMarkdown('plain words 你好'), 'plain words 你好');
  });

  it('puts a space for line breaks, which would end a table row', () => {
    assert.equal(escapeMarkdown('one\r\ntwo\nthree'), 'one two three');
  });
});

describe('CSV', () => {
  it('quotes a field with the delimiter, a quote, a line break or edge spaces, doubling quotes', () => {
    assert.equal(
      csvRecord(['plain', 'a,b', 'say "x"', 'a\r\nb', ' lead', 'tail ', 3, 0.5]),
      'plain,"a,b","say ""x""","a\r\nb"," lead","tail ",3,0.5',
    );
    assert.equal(csvRecord(['a,b', 'c\td'], '\t'), 'a,b\t"c\td"');
  });

  it('ends each record with the line ending asked for', () => {
    assert.equal(
      csvRecords(
        [
          ['h1', 'h2'],
          ['x', 'y'],
        ],
        '\r\n',
      ),
      'h1,h2\r\nx,y\r\n',
    );
  });

  it('writes what the dataset reader reads back as it was', async () => {
    const texts = ['He said "hi, there" — 你好，世界', ' spaced out ', 'two\nlines', 'tab\there', 'plain'];
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'textcat-csv-'));
    try {
      for (const [name, delimiter] of [
        ['data.csv', ','],
        ['data.tsv', '\t'],
      ] as const) {
        const file = path.join(dir, name);
        const rows = [['text', 'label'], ...texts.map((t, i) => [t, i % 2 ? 'b' : 'a'])];
        fs.writeFileSync(file, csvRecords(rows, '\n', delimiter));
        const read = await readDataset(file);
        // The reader trims a text's edge spaces on purpose; everything else comes back as written.
        assert.deepEqual(
          read.examples.map((e) => e.text),
          texts.map((t) => t.trim()),
          name,
        );
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('version and dataset endings', () => {
  it("TEXTCAT_VERSION is package.json's, and the built CLI prints it", () => {
    assert.equal(TEXTCAT_VERSION, packageJson.version);
    const cli = path.join(root, 'dist', 'cli.js');
    const r = spawnSync(process.execPath, [cli, '--version'], { encoding: 'utf8' });
    assert.equal(r.stdout.trim(), packageJson.version);
  });

  it('every ending the reader takes is offered by the Explorer menu, and no other', () => {
    assert.deepEqual([...DATASET_EXTENSIONS].sort(), [...Object.keys(FORMAT_BY_EXTENSION), ...FASTTEXT_EXTENSIONS].sort());
    const train = packageJson.contributes.menus['explorer/context'].find((m) => m.command === 'textcat.train');
    const pattern = /resourceExtname =~ \/(.+?)\/i/.exec(train?.when ?? '')?.[1];
    assert.ok(pattern, `a resourceExtname test in ${train?.when}`);
    const offered = new RegExp(pattern.replace(/\\\\/g, '\\'), 'i');
    // A .json or fastText file is a dataset by its first bytes: the extension lists those files in a context key.
    const byContent = (ending: string) => ending === '.json' || FASTTEXT_EXTENSIONS.has(ending);
    assert.match(train?.when ?? '', /resourcePath in textcat\.datasetFiles/);
    for (const ending of DATASET_EXTENSIONS) assert.ok(offered.test(ending) || byContent(ending), `${ending} is offered`);
    for (const ending of ['.txtx', '.md', '.js', '.csv.bak']) assert.ok(!offered.test(ending), `${ending} is not offered`);
  });
});
