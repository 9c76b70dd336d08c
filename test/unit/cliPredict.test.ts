// `textcat predict` on datasets (issue 12), on the built dist/cli.js: a table (CSV, TSV, JSONL, JSON) is read
// by training's readers, so only its text column is labeled (never the header or the label column), each
// row named by the line it starts on; the column is guessed as training guesses it or named with
// --text-column; a labeled dataset gets a note that `eval` scores it; with several inputs every output line
// names its file. Needs `npm run build` first.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CLI, expectExit, textcat as run, type Run } from '../shared/fixtureModels';

const FAST = ['--hidden-units', '8', '--embedding-dim', '8', '--epochs', '3', '--quiet'];
const POSITIVE = ['good great happy', 'great wonderful day', 'happy lovely good', 'wonderful great fun', 'lovely happy smile'];
const NEGATIVE = ['bad awful sad', 'awful terrible day', 'sad horrible bad', 'terrible awful pain', 'horrible sad cry'];

interface Predicted {
  file?: string;
  line: number;
  record?: number;
  label: string;
  confidence: number;
  probabilities: Record<string, number>;
}

let dir: string;
const textcat = (args: string[], input = ''): Run => run(args, dir, input);

function write(name: string, content: string | Buffer): string {
  fs.writeFileSync(path.join(dir, name), content);
  return name;
}

function jsonLines(stdout: string): Predicted[] {
  return stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Predicted);
}

/** The text output's rows: [where, label, confidence, text]. */
function textRows(stdout: string): string[][] {
  return stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.split('\t'));
}

/** What the model says for these texts read as plain lines: the reference a table's rows must match. */
function asLines(texts: string[]): Predicted[] {
  const r = textcat(['predict', 'model', '-', '--json'], `${texts.join('\n')}\n`);
  expectExit(r, 0);
  return jsonLines(r.stdout);
}

function assertSameProbabilities(actual: Predicted[], expected: Predicted[]): void {
  assert.equal(actual.length, expected.length);
  actual.forEach((p, i) => assert.deepEqual(p.probabilities, expected[i].probabilities, `row ${i + 1} (line ${p.line})`));
}

before(() => {
  assert.ok(fs.existsSync(CLI), `${CLI} is missing: run \`npm run build\` before these tests (npm test does it)`);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'textcat-predict-'));
  const rows = [...POSITIVE.map((t) => `${t},pos`), ...NEGATIVE.map((t) => `${t},neg`)];
  write('train.csv', `text,label\n${[...rows, ...rows].join('\n')}\n`);
  expectExit(textcat(['train', 'train.csv', '--out', 'model', ...FAST]), 0);
});

after(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('predict on a CSV', () => {
  // The label column comes first, a text holds a comma, one a quoted line break (its row spans lines 4-5),
  // and a blank line sits before the last row: a reader of raw lines would label the header, the labels
  // and the halves of the broken row, and number the last row wrongly.
  const csv = [
    'label,text,id', // 1
    'pos,good great happy,1', // 2
    'neg,"awful, terrible day",2', // 3
    'neg,"sad horrible', // 4
    'bad",3', // 5
    '', // 6
    'pos,lovely happy smile,4', // 7
  ].join('\n');
  const texts = ['good great happy', 'awful, terrible day', 'sad horrible\nbad', 'lovely happy smile'];

  it('labels only the text column (guessed from the header), each row named by the line it starts on', () => {
    write('labeled.csv', `${csv}\n`);
    const r = textcat(['predict', 'model', 'labeled.csv']);
    expectExit(r, 0);
    const rows = textRows(r.stdout);
    assert.deepEqual(
      rows.map((row) => row[0]),
      ['2', '3', '4', '7'],
    );
    assert.deepEqual(
      rows.map((row) => row[3]),
      texts.map((t) => t.replace('\n', '\\n')),
      'the text column, line breaks escaped',
    );
    for (const row of rows) {
      assert.ok(['pos', 'neg'].includes(row[1]), row.join(' | '));
      assert.match(row[2], /^0\.\d{3}$|^1\.000$/);
    }
    const json = jsonLines(textcat(['predict', 'model', 'labeled.csv', '--json']).stdout);
    assert.deepEqual(
      json.map((p) => p.line),
      [2, 3, 4, 7],
    );
    assertSameProbabilities(json, asLines(texts.map((t) => t.replace('\n', ' '))));
  });

  it('says on stderr, after the output, which column it labeled and that eval scores a labeled dataset', () => {
    const r = textcat(['predict', 'model', 'labeled.csv']);
    expectExit(r, 0);
    assert.match(r.stderr, /^labeled\.csv: labeled 4 texts from column "text" \(from the header\)\n/);
    assert.match(r.stderr, /\nnote: labeled\.csv is a labeled dataset \(labels in column "label"\); .*textcat eval model labeled\.csv\n$/);
    expectExit(textcat(['eval', 'model', 'labeled.csv']), 0); // the command the note gives works
    assert.equal(textcat(['predict', 'model', 'labeled.csv', '--quiet']).stderr, '');
  });

  it('--text-column names the column (by name or 0-based index); --label-column names the label column', () => {
    const ticketsCsv = [
      'id,subject,body,queue',
      '1,Hello,good great happy lovely smile,sales',
      '2,Help,awful terrible sad horrible cry,support',
      '3,Hi,wonderful great fun day,sales',
    ].join('\n');
    write('tickets.csv', `${ticketsCsv}\n`);
    const bodies = ['good great happy lovely smile', 'awful terrible sad horrible cry', 'wonderful great fun day'];
    for (const column of ['body', 'BODY', '2']) {
      const r = textcat(['predict', 'model', 'tickets.csv', '--text-column', column]);
      expectExit(r, 0);
      assert.deepEqual(
        textRows(r.stdout).map((row) => [row[0], row[3]]),
        bodies.map((b, i) => [String(i + 2), b]),
        column,
      );
      assert.match(r.stderr, /from column "body" \(given\)/);
      assert.doesNotMatch(r.stderr, /note:/, 'queue holds no label the model knows and is not named a label');
    }
    const queue = textcat(['predict', 'model', 'tickets.csv', '--label-column', 'queue']);
    expectExit(queue, 0);
    assert.deepEqual(
      textRows(queue.stdout).map((row) => row[3]),
      bodies,
    );
    assert.match(queue.stderr, /note: tickets\.csv is a labeled dataset \(labels in column "queue"\)/);
    const subjects = textRows(textcat(['predict', 'model', 'tickets.csv', '--text-column', 'subject']).stdout).map((row) => row[3]);
    assert.deepEqual(subjects, ['Hello', 'Help', 'Hi']);
    const missing = textcat(['predict', 'model', 'tickets.csv', '--text-column', 'message']);
    expectExit(missing, 1);
    assert.match(
      missing.stderr,
      /^textcat: tickets\.csv: there is no text column "message"; available columns: "id", "subject", "body", "queue"/,
    );
    assert.equal(missing.stdout, '');
  });

  it('guesses the text column from the values when no header names it, and a column of known labels makes it a labeled dataset', () => {
    const rows = [...POSITIVE.map((t) => `${t},pos`), ...NEGATIVE.map((t) => `${t},neg`)];
    write('guess.csv', `a,b\n${rows.join('\n')}\n`);
    const r = textcat(['predict', 'model', 'guess.csv', '--json']);
    expectExit(r, 0);
    assertSameProbabilities(jsonLines(r.stdout), asLines([...POSITIVE, ...NEGATIVE]));
    assert.match(r.stderr, /from column "a" \(guessed from the data\)/);
    assert.match(r.stderr, /note: guess\.csv is a labeled dataset \(labels in column "b"\)/);
  });

  it('a table without labels (one column, or no label column) is labeled without a note', () => {
    write('one-column.csv', `message\n${POSITIVE.slice(0, 2).join('\n')}\n`);
    const one = textcat(['predict', 'model', 'one-column.csv']);
    expectExit(one, 0);
    assert.deepEqual(
      textRows(one.stdout).map((row) => [row[0], row[3]]),
      [
        ['2', POSITIVE[0]],
        ['3', POSITIVE[1]],
      ],
    );
    assert.doesNotMatch(one.stderr, /note:/);
    write('logs.tsv', `time\tmessage\n10:00\t${NEGATIVE[0]}\n10:01\t${POSITIVE[1]}\n`);
    const tsv = textcat(['predict', 'model', 'logs.tsv']);
    expectExit(tsv, 0);
    assert.deepEqual(
      textRows(tsv.stdout).map((row) => row[3]),
      [NEGATIVE[0], POSITIVE[1]],
    );
    assert.match(tsv.stderr, /^logs\.tsv: labeled 2 texts from column "message" \(from the header\)\n$/);
  });

  it('--format lines reads a CSV as plain lines (the header too); --format csv reads standard input as a table', () => {
    const raw = textcat(['predict', 'model', 'labeled.csv', '--format', 'lines']);
    expectExit(raw, 0);
    assert.deepEqual(
      textRows(raw.stdout).map((row) => row[0]),
      ['1', '2', '3', '4', '5', '7'],
    );
    const piped = textcat(['predict', 'model', '-', '--format', 'csv', '--json'], `${csv}\n`);
    expectExit(piped, 0);
    assert.deepEqual(
      jsonLines(piped.stdout).map((p) => p.line),
      [2, 3, 4, 7],
    );
    assert.match(piped.stderr, /note: standard input is a labeled dataset/);
  });
});

describe('predict on a broken table fails as training does (exit 1, file:line, nothing on stdout)', () => {
  for (const [what, name, content, message] of [
    ['binary', 'zeros.csv', Buffer.alloc(4096), /^textcat: zeros\.csv:1: looks like a binary file/],
    [
      'not UTF-8',
      'latin1.csv',
      Buffer.from('text,label\ngood day,pos\ncaf\xe9 day,neg\n', 'latin1'),
      /^textcat: latin1\.csv:3: is not UTF-8/,
    ],
    [
      'too many columns',
      'wide.csv',
      `${Array.from({ length: 2000 }, (_, i) => `c${i}`).join(',')}\n`,
      /^textcat: wide\.csv:1: has 2000 columns/,
    ],
    ['empty', 'empty.csv', '', /^textcat: empty\.csv: is empty/],
  ] as const) {
    it(what, () => {
      write(name, content);
      const r = textcat(['predict', 'model', name]);
      expectExit(r, 1);
      assert.match(r.stderr, message);
      assert.equal(r.stdout, '');
    });
  }

  it('a log in another encoding is still labeled, line by line (plain text is read leniently)', () => {
    write('latin1.log', Buffer.from('caf\xe9 good day\n', 'latin1'));
    const r = textcat(['predict', 'model', 'latin1.log']);
    expectExit(r, 0);
    assert.match(r.stdout, /^1\t(pos|neg)\t/);
  });
});

describe('predict on JSON Lines and JSON', () => {
  const objects = [
    { id: 1, message: POSITIVE[0], level: 'pos' },
    { id: 2, message: NEGATIVE[1], level: 'neg' },
    { id: 3, message: POSITIVE[2], level: 'pos' },
  ];

  it('JSONL: the text key guessed from its name, blank lines counted, keys that are not the text never labeled', () => {
    const lines = objects.map((o) => JSON.stringify(o));
    write('events.jsonl', `${lines[0]}\n\n${lines[1]}\n\n\n${lines[2]}\n`);
    const r = textcat(['predict', 'model', 'events.jsonl', '--json']);
    expectExit(r, 0);
    const predictions = jsonLines(r.stdout);
    assert.deepEqual(
      predictions.map((p) => p.line),
      [1, 3, 6],
    );
    assertSameProbabilities(predictions, asLines(objects.map((o) => o.message)));
    assert.match(r.stderr, /events\.jsonl: labeled 3 texts from column "message" \(from the keys\)/);
    assert.match(r.stderr, /note: events\.jsonl is a labeled dataset \(labels in column "level"\)/);
  });

  it('JSONL with --text-column: the named key, rows without a text skipped but counted', () => {
    const rows = [
      { title: 'Monday', note: POSITIVE[3], tag: 'x' },
      { title: 'Tuesday', note: '', tag: 'y' },
      { title: 'Wednesday', note: NEGATIVE[3], tag: 'x' },
    ];
    write('notes.jsonl', `${rows.map((o) => JSON.stringify(o)).join('\n')}\n`);
    const r = textcat(['predict', 'model', 'notes.jsonl', '--text-column', 'note']);
    expectExit(r, 0);
    assert.deepEqual(
      textRows(r.stdout).map((row) => [row[0], row[3]]),
      [
        ['1', POSITIVE[3]],
        ['3', NEGATIVE[3]],
      ],
    );
    const byTitle = textRows(textcat(['predict', 'model', 'notes.jsonl']).stdout).map((row) => row[3]);
    assert.deepEqual(byTitle, ['Monday', 'Tuesday', 'Wednesday'], 'without the flag, "title" is the text, as training would take it');
  });

  it('a JSON array: each object named by the line it starts on', () => {
    write('array.json', `[\n  ${JSON.stringify(objects[0])},\n\n  ${JSON.stringify(objects[1])}\n]\n`);
    const r = textcat(['predict', 'model', 'array.json', '--json']);
    expectExit(r, 0);
    assert.deepEqual(
      jsonLines(r.stdout).map((p) => p.line),
      [2, 4],
    );
  });

  it('a JSON array on one line: texts numbered by their position in the array (all were "1"), --json with line and record', () => {
    write('oneline.json', `${JSON.stringify(objects)}\n`);
    const r = textcat(['predict', 'model', 'oneline.json']);
    expectExit(r, 0);
    assert.deepEqual(
      textRows(r.stdout).map((row) => [row[0], row[3]]),
      objects.map((o, i) => [String(i + 1), o.message]),
    );
    assert.match(r.stderr, /oneline\.json: labeled 3 texts from column "message" .*numbered by their position in the array/);
    const json = jsonLines(textcat(['predict', 'model', 'oneline.json', '--json']).stdout);
    assert.deepEqual(
      json.map((p) => [p.line, p.record]),
      [
        [1, 1],
        [1, 2],
        [1, 3],
      ],
    );
    const named = textRows(textcat(['predict', 'model', 'oneline.json', '-H']).stdout).map((row) => row[0]);
    assert.deepEqual(named, ['oneline.json:1', 'oneline.json:2', 'oneline.json:3']);
    write('pretty.json', `[\n  ${JSON.stringify(objects[0])},\n\n  ${JSON.stringify(objects[1])}\n]\n`);
    const pretty = jsonLines(textcat(['predict', 'model', 'pretty.json', '--json']).stdout);
    assert.deepEqual(
      pretty.map((p) => [p.line, p.record]),
      [
        [2, 1],
        [4, 2],
      ],
      'one element per line: numbered by line as before, with its record',
    );
  });

  it('a column recognised by its name is "from the keys" for JSON and JSONL (predict and train), "from the header" for CSV', () => {
    write('keys.json', `${JSON.stringify(objects)}\n`);
    assert.match(textcat(['predict', 'model', 'keys.json']).stderr, /keys\.json: labeled 3 texts from column "message" \(from the keys\)/);
    const rows = [...POSITIVE.map((t) => ({ body: t, level: 'pos' })), ...NEGATIVE.map((t) => ({ body: t, level: 'neg' }))];
    write('train.jsonl', `${rows.map((o) => JSON.stringify(o)).join('\n')}\n`);
    const quiet = FAST.filter((a) => a !== '--quiet');
    const trained = textcat(['train', 'train.jsonl', '--out', 'keys-model', ...quiet]);
    expectExit(trained, 0);
    assert.match(trained.stderr, /text column "body", label column "level" \(from the keys\)/);
    assert.doesNotMatch(trained.stderr, /from the header/);
    write('train.csv', `body,level\n${rows.map((o) => `${o.body},${o.level}`).join('\n')}\n`);
    const csv = textcat(['train', 'train.csv', '--out', 'csv-model', ...quiet]);
    expectExit(csv, 0);
    assert.match(csv.stderr, /text column "body", label column "level" \(from the header\)/);
  });

  it('a JSONL row without the text key fails as training fails, naming the file and line (exit 1)', () => {
    write('broken.jsonl', `${JSON.stringify(objects[0])}\n${JSON.stringify({ id: 9, level: 'pos' })}\n`);
    const r = textcat(['predict', 'model', 'broken.jsonl']);
    expectExit(r, 1);
    assert.match(r.stderr, /^textcat: broken\.jsonl:2: the object has no "message" key for the text/);
  });
});

describe('predict on plain text and fastText', () => {
  it('a .log and a .txt without labels are read line by line, as before, with no note', () => {
    write('app.log', `${POSITIVE[0]}\n\n${NEGATIVE[0]}\n`);
    const r = textcat(['predict', 'model', 'app.log']);
    expectExit(r, 0);
    assert.deepEqual(
      textRows(r.stdout).map((row) => [row[0], row[3]]),
      [
        ['1', POSITIVE[0]],
        ['3', NEGATIVE[0]],
      ],
    );
    assert.equal(r.stderr, '');
  });

  it('fastText lines lose their labels before they are labeled; a note says eval scores them', () => {
    write('train.txt', `__label__pos ${POSITIVE[1]}\n__label__neg __label__x ${NEGATIVE[2]}\n${POSITIVE[4]}\n`);
    const r = textcat(['predict', 'model', 'train.txt', '--json']);
    expectExit(r, 0);
    assertSameProbabilities(jsonLines(r.stdout), asLines([POSITIVE[1], NEGATIVE[2], POSITIVE[4]]));
    assert.match(
      r.stderr,
      /note: train\.txt is a labeled dataset \(labels in fastText __label__ prefixes\).*textcat eval model train\.txt/,
    );
  });
});

describe('predict on several inputs names the file on every line', () => {
  it('text: a <file>:<line> first column on every line; one file: the line alone', () => {
    write('a.log', `${POSITIVE[0]}\n${NEGATIVE[0]}\n`);
    write('b.csv', `text,label\n${NEGATIVE[1]},neg\n`);
    const r = textcat(['predict', 'model', 'a.log', 'b.csv', '-'], `${POSITIVE[2]}\n`);
    expectExit(r, 0);
    assert.deepEqual(
      textRows(r.stdout).map((row) => row[0]),
      ['a.log:1', 'a.log:2', 'b.csv:2', '-:1'],
    );
    assert.deepEqual(
      textRows(textcat(['predict', 'model', 'a.log']).stdout).map((row) => row[0]),
      ['1', '2'],
    );
    assert.deepEqual(
      textRows(textcat(['predict', 'model', 'a.log', '-H']).stdout).map((row) => row[0]),
      ['a.log:1', 'a.log:2'],
    );
  });

  it('--json: "file" first in every object with several inputs (or -H), absent for one, with the same lines and labels', () => {
    const several = jsonLines(textcat(['predict', 'model', 'a.log', 'b.csv', '--json']).stdout);
    assert.deepEqual(
      several.map((p) => [p.file, p.line]),
      [
        ['a.log', 1],
        ['a.log', 2],
        ['b.csv', 2],
      ],
    );
    for (const p of several) assert.equal(Object.keys(p)[0], 'file');
    const one = jsonLines(textcat(['predict', 'model', 'a.log', '--json']).stdout);
    for (const p of one) assert.equal(p.file, undefined);
    assert.deepEqual(
      one,
      several.slice(0, 2).map(({ file: _file, ...rest }) => rest),
    );
    const named = jsonLines(textcat(['predict', 'model', 'a.log', '--json', '--with-filename']).stdout);
    assert.deepEqual(named, several.slice(0, 2));
  });
});
