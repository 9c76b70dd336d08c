// The CLI as a user meets it: the built dist/cli.js run in a child process on small fixtures, checking
// exit codes, stdout JSON and stderr messages. Needs `npm run build` first (npm test does it).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const CLI = path.resolve(__dirname, '../../dist/cli.js');
const FAST = ['--hidden-units', '8', '--embedding-dim', '8', '--quiet'];

let dir: string;
let fileCount = 0;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function textcat(args: string[], input = ''): Run {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, input, encoding: 'utf8', timeout: 120_000 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Asserts the exit code, showing the child's output when it differs (the usual way these tests fail). */
function expectExit(r: Run, code: number): void {
  assert.equal(r.status, code, `expected exit ${code}, got ${r.status}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`);
}

function write(name: string, content: string): string {
  const file = path.join(dir, `${++fileCount}-${name}`);
  fs.writeFileSync(file, content);
  return file;
}

const jsonLines = (stdout: string) =>
  stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

/** name → sha256 for every file under a folder, so a test can tell whether anything changed. */
function snapshot(folder: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of fs.readdirSync(folder, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    out[path.relative(folder, file)] = createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  }
  return out;
}

const POSITIVE = [
  'good great happy',
  'great wonderful day',
  'happy lovely good',
  'wonderful great fun',
  'lovely happy smile',
  'good fun wonderful',
  'great smile lovely',
  'happy good day',
  'fun lovely great',
  'smile wonderful good',
  'great happy fun',
  'lovely good smile',
  'wonderful happy day',
  'good lovely fun',
  'happy great smile',
  'fun wonderful good',
];
const NEGATIVE = [
  'bad awful sad',
  'awful terrible day',
  'sad horrible bad',
  'terrible awful pain',
  'horrible sad cry',
  'bad pain terrible',
  'awful cry horrible',
  'sad bad day',
  'pain horrible awful',
  'cry terrible bad',
  'awful sad pain',
  'horrible bad cry',
  'terrible sad day',
  'bad horrible pain',
  'sad awful cry',
  'pain terrible bad',
];
/** Two classes; one text has a comma and one a quote, so the CSV reader's quoting is exercised too. */
const TRAIN_CSV = [
  'text,label',
  ...POSITIVE.map((t) => `${t},pos`),
  ...NEGATIVE.map((t) => `${t},neg`),
  '"good, great and happy",pos',
  '"an ""awful"" sad day",neg',
].join('\n');

before(() => {
  assert.ok(fs.existsSync(CLI), `${CLI} is missing: run \`npm run build\` before these tests (npm test does it)`);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'textcat-cli-'));
});

after(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('textcat CLI', () => {
  let trainCsv: string;
  let modelDir: string;
  let trained: Run;

  before(() => {
    trainCsv = write('train.csv', `${TRAIN_CSV}\n`);
    modelDir = path.join(dir, 'model');
    trained = textcat(['train', trainCsv, '--out', modelDir, '--epochs', '3', '--json', ...FAST]);
  });

  it('train --json exits 0, writes the model folder and prints validation metrics', () => {
    expectExit(trained, 0);
    for (const f of ['model.json', 'weights.bin', 'textcat.json']) assert.ok(fs.existsSync(path.join(modelDir, f)), `${f} not written`);
    const [result] = jsonLines(trained.stdout);
    assert.deepEqual([...(result.labels as string[])].sort(), ['neg', 'pos']);
    const validation = result.validation as { accuracy: number; macroF1: number } | undefined;
    assert.ok(validation, 'no validation metrics in the JSON');
    assert.ok(validation.accuracy >= 0 && validation.accuracy <= 1, `accuracy ${validation.accuracy}`);
    assert.equal(typeof validation.macroF1, 'number');
  });

  it('predict --json gives one object per non-empty line, numbered as in the file', () => {
    const input = write('lines.txt', 'good great happy\n\nawful terrible pain\nlovely day\n');
    const r = textcat(['predict', modelDir, input, '--json']);
    expectExit(r, 0);
    const predictions = jsonLines(r.stdout);
    assert.deepEqual(
      predictions.map((p) => p.line),
      [1, 3, 4],
    );
    for (const p of predictions) {
      assert.ok(['pos', 'neg'].includes(p.label as string), `label ${String(p.label)}`);
      const probabilities = p.probabilities as Record<string, number>;
      assert.deepEqual(Object.keys(probabilities).sort(), ['neg', 'pos']);
      const sum = Object.values(probabilities).reduce((a, b) => a + b, 0);
      assert.ok(Math.abs(sum - 1) < 1e-3, `probabilities sum to ${sum}`);
      assert.equal(p.confidence, Math.max(...Object.values(probabilities)));
    }
  });

  it('predict reads standard input with -', () => {
    const r = textcat(['predict', modelDir, '-', '--json'], 'good great happy\nawful sad cry\n');
    expectExit(r, 0);
    const predictions = jsonLines(r.stdout);
    assert.deepEqual(
      predictions.map((p) => p.line),
      [1, 2],
    );
    for (const p of predictions) assert.ok(['pos', 'neg'].includes(p.label as string));
  });

  it('predict on a long input shares it over the threads, gives the same answers as line by line, and exits', () => {
    const words = ['good', 'great', 'happy', 'awful', 'terrible', 'pain', 'lovely', 'day', 'sad'];
    const lines = Array.from({ length: 700 }, (_, i) =>
      Array.from({ length: 1 + (i % 6) }, (_, t) => words[(i * 7 + t * 5) % words.length]).join(' '),
    );
    const r = textcat(['predict', modelDir, write('long.txt', `${lines.join('\n')}\n`), '--json']);
    expectExit(r, 0);
    const all = jsonLines(r.stdout);
    assert.equal(all.length, 700);
    const few = jsonLines(textcat(['predict', modelDir, '-', '--json'], `${lines.slice(0, 3).join('\n')}\n`).stdout);
    assert.deepEqual(all.slice(0, 3), few);
  });

  it('eval --json prints accuracy, macroF1, perClass and confusion', () => {
    const r = textcat(['eval', modelDir, trainCsv, '--json']);
    expectExit(r, 0);
    const [m] = jsonLines(r.stdout) as [{ accuracy: number; macroF1: number; perClass: unknown[]; confusion: number[][] }];
    assert.ok(m.accuracy >= 0 && m.accuracy <= 1);
    assert.equal(typeof m.macroF1, 'number');
    assert.equal(m.perClass.length, 2);
    assert.equal(m.confusion.length, 2);
    const total = m.confusion.flat().reduce((a, b) => a + b, 0);
    assert.equal(total, POSITIVE.length + NEGATIVE.length + 2);
  });

  it('a failed train leaves an existing model folder byte-for-byte unchanged', () => {
    expectExit(trained, 0);
    const before = snapshot(modelDir);
    const bad = write('bad.csv', 'text,label\ngood day,pos\n"never closed,neg\nbad day,neg\n');
    expectExit(textcat(['train', bad, '--out', modelDir, '--epochs', '2', ...FAST]), 1);
    assert.deepEqual(snapshot(modelDir), before);
    // Good training data but a broken --test file: the model must survive that too.
    expectExit(textcat(['train', trainCsv, '--test', bad, '--out', modelDir, '--epochs', '2', ...FAST]), 1);
    assert.deepEqual(snapshot(modelDir), before);
  });
});

describe('textcat CLI errors', () => {
  it('exits 1 with file:line for a CSV with an unclosed quote', () => {
    const file = write('unclosed.csv', 'text,label\ngood day,pos\n"oops, never closed,neg\nbad day,neg\n');
    const r = textcat(['train', file, '--out', path.join(dir, 'never'), '--epochs', '2', ...FAST]);
    expectExit(r, 1);
    assert.match(r.stderr, new RegExp(`${escapeRegExp(path.basename(file))}:3\\b`));
    assert.ok(!fs.existsSync(path.join(dir, 'never')), 'a failed train created its --out folder');
  });

  it('exits 1 naming the file for a dataset with one class', () => {
    const file = write('one-class.csv', 'text,label\ngood day,pos\ngreat day,pos\nhappy day,pos\n');
    const r = textcat(['train', file, '--out', path.join(dir, 'never'), '--epochs', '2', ...FAST]);
    expectExit(r, 1);
    assert.match(r.stderr, new RegExp(`${escapeRegExp(path.basename(file))}(:\\d+)?:`));
    assert.match(r.stderr, /class/);
  });

  it('exits 1 for predict on a folder that is not a model', () => {
    const folder = path.join(dir, 'not-a-model');
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, 'notes.txt'), 'hello\n');
    const r = textcat(['predict', folder, '-'], 'hello\n');
    expectExit(r, 1);
    assert.match(r.stderr, /^textcat: .*not-a-model/m);
  });

  for (const [what, args] of [
    ['an unknown command', ['frobnicate']],
    ['an unknown flag', ['train', 'data.csv', '--no-such-flag']],
    ['a non-numeric --epochs', ['train', 'data.csv', '--epochs', 'abc']],
  ] as const) {
    it(`exits 2 for ${what}`, () => {
      const r = textcat([...args]);
      expectExit(r, 2);
      assert.match(r.stderr, /^textcat: /);
      assert.equal(r.stdout, '');
    });
  }
});

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
