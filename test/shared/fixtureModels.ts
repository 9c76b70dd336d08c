// Four small models trained by the built CLI (dist/cli.js) on a dataset written here (English and Chinese log
// lines, one keyword deciding the class), for the tests that compare other runtimes with `predict --json`:
// the LSTM alone (--wide-ngrams 0) and with the wide n-gram path (the default), each one way and both ways.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRng } from '../../src/core/random';

export const CLI = path.resolve(__dirname, '../../dist/cli.js');
/** Short enough that the long lines below are truncated: the first maxLength tokens must be the ones kept. */
export const MAX_LENGTH = 8;

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function textcat(args: string[], cwd: string, input = ''): Run {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, input, encoding: 'utf8', timeout: 120_000 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function expectExit(r: Run, code: number): void {
  assert.equal(r.status, code, `expected exit ${code}, got ${r.status}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`);
}

const KEYWORDS: Record<string, string[]> = {
  error: ['crashed', 'failed', 'exception', '崩溃', '失败'],
  info: ['started', 'connected', 'completed', '启动', '完成'],
  warn: ['slow', 'retrying', 'degraded', '缓慢', '重试'],
};
const NOISE = ['the', 'server', 'user', 'request', 'again', 'now', 'with', 'today', '服务器', '用户', '今天', '请求'];

function datasetCsv(): string {
  const rng = createRng(3);
  const pick = <T>(items: readonly T[]) => items[Math.floor(rng() * items.length)];
  const rows = ['text,label'];
  for (let i = 0; i < 240; i++) {
    const label = Object.keys(KEYWORDS)[i % 3];
    const words = Array.from({ length: 1 + Math.floor(rng() * 5) }, () => pick(NOISE));
    words.splice(Math.floor(rng() * (words.length + 1)), 0, pick(KEYWORDS[label]));
    rows.push(`${words.join(' ')},${label}`);
  }
  return `${rows.join('\n')}\n`;
}

/** Tokens none of which the fixture models know, nor any of their n-grams. */
export const UNKNOWN_LINE = 'zqx vwj';

/** A batch that mixes lengths: one token, several, longer than maxLength, none at all, unknown words, Chinese. */
export const MIXED_LINES = [
  'crashed',
  'the server started again',
  'now the user with the request is slow today and the server is retrying with the user again',
  '!!! ...',
  'completely unknown words here',
  '服务器今天崩溃',
  '用户请求完成了',
  'the request failed',
  'degraded',
  'retrying the request with the server now',
  'today the server completed the user request and then crashed again with an exception',
  UNKNOWN_LINE,
];

export const MODEL_KINDS = ['bidirectional', 'unidirectional', 'wideBidirectional', 'wideUnidirectional'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

export type FixtureModels = Record<ModelKind, string> & {
  dir: string;
  linesFile: string;
};

/** Trains the four models into `dir` (a fresh temp folder) and writes MIXED_LINES there. */
export function trainFixtureModels(dir: string): FixtureModels {
  assert.ok(fs.existsSync(CLI), `${CLI} is missing: run \`npm run build\` before these tests (npm test does it)`);
  fs.writeFileSync(path.join(dir, 'train.csv'), datasetCsv());
  const linesFile = path.join(dir, 'lines.txt');
  fs.writeFileSync(linesFile, `${MIXED_LINES.join('\n')}\n`);
  const common = ['--learning-rate', '0.03', '--hidden-units', '8', '--embedding-dim', '8', '--max-length', String(MAX_LENGTH)];
  // The LSTM alone learns the keywords in 12 epochs. With the wide path, 4: an LSTM that sure of itself gets all
  // the combination's weight on this easy set, and the n-gram table none (assertBothPathsWeigh).
  const lstmAlone = ['--epochs', '12', '--wide-ngrams', '0'];
  const train = (out: string, ...flags: string[]) =>
    expectExit(textcat(['train', 'train.csv', '--out', out, ...flags, '--quiet', ...common], dir), 0);
  train('bi', '--bidirectional', ...lstmAlone);
  train('uni', '--no-bidirectional', ...lstmAlone);
  train('wide-bi', '--bidirectional', '--epochs', '4');
  train('wide-uni', '--no-bidirectional', '--epochs', '4');
  return {
    dir,
    bidirectional: path.join(dir, 'bi'),
    unidirectional: path.join(dir, 'uni'),
    wideBidirectional: path.join(dir, 'wide-bi'),
    wideUnidirectional: path.join(dir, 'wide-uni'),
    linesFile,
  };
}

/** A wide model's two paths both count in its predictions, so a wrong n-gram input would show in them. */
export function assertBothPathsWeigh(modelDir: string): void {
  const manifest = JSON.parse(fs.readFileSync(path.join(modelDir, 'textcat.json'), 'utf8')) as {
    shape: { ngramRows?: number };
    combination?: { lstm: number; ngrams: number };
  };
  if (!manifest.shape.ngramRows) return;
  const c = manifest.combination;
  assert.ok(c && c.lstm > 0 && c.ngrams > 0, `combination ${JSON.stringify(c)}: the fixture must weigh both paths`);
}

export interface Prediction {
  line: number;
  label: string;
  probabilities: Record<string, number>;
}

export function parseJsonLines(stdout: string): Prediction[] {
  return stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Prediction);
}

/** `textcat predict <model> <lines> --json`. */
export function cliPredictions(models: FixtureModels, modelDir: string): Prediction[] {
  const r = textcat(['predict', modelDir, models.linesFile, '--json'], models.dir);
  expectExit(r, 0);
  return parseJsonLines(r.stdout);
}

/** Asserts two runs give the same lines, labels and probabilities within `tolerance`. */
export function assertSamePredictions(actual: Prediction[], expected: Prediction[], tolerance: number): void {
  assert.deepEqual(
    actual.map((p) => p.line),
    expected.map((p) => p.line),
  );
  actual.forEach((p, i) => {
    for (const [label, probability] of Object.entries(expected[i].probabilities)) {
      const got = p.probabilities[label];
      assert.ok(Math.abs(got - probability) <= tolerance, `line ${p.line} "${label}": ${got} vs ${probability}`);
    }
    assert.equal(p.label, expected[i].label, `line ${p.line}`);
  });
}

/** The predictions are far from uniform, so a wrong gate order or mask would show in the probabilities. */
export function assertConfident(predictions: Prediction[]): void {
  const confident = predictions.filter((p) => Math.max(...Object.values(p.probabilities)) > 0.8);
  assert.ok(confident.length >= predictions.length / 2, `only ${confident.length} confident predictions: the fixture model did not learn`);
}
