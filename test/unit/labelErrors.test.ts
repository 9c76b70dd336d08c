// Finding likely label errors: the folds, the confident-learning rule on hand-made probabilities, a real k-fold run
// that must find labels flipped on purpose, and the CLI command (needs `npm run build` first).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkLabels, findLabelIssues, stratifiedFolds } from '../../src/core/analysis/labelErrors';
import { resolveOptions } from '../../src/core/options';
import { CancelledError, TextcatError } from '../../src/core/types';
import { FAST_TRAINING, FAST_TRAINING_FLAGS, FLIPPED_ROWS, keywordExamples, noisyKeywordExamples, toCsv } from './fixtures';

const CLI = path.resolve(__dirname, '../../dist/cli.js');

describe('stratifiedFolds', () => {
  it('deals every class over the folds evenly, the same way for the same seed', () => {
    const given = Array.from({ length: 90 }, (_, i) => (i < 60 ? 0 : i < 84 ? 1 : 2));
    const folds = stratifiedFolds(given, 3, 7);
    assert.deepEqual(folds, stratifiedFolds(given, 3, 7));
    for (const label of [0, 1, 2]) {
      const perFold = [0, 1, 2].map((f) => folds.filter((fold, i) => fold === f && given[i] === label).length);
      assert.ok(Math.max(...perFold) - Math.min(...perFold) <= 1, `class ${label}: ${perFold.join(', ')}`);
    }
    assert.notDeepEqual(folds, stratifiedFolds(given, 3, 8));
  });
});

describe('findLabelIssues (confident learning)', () => {
  // Class a's rows give a a mean probability of (0.9 + 0.8 + 0.1) / 3 = 0.6; class b's give b (0.7 + 0.9) / 2 = 0.8.
  const labels = ['a', 'b'];
  const probabilities = Float32Array.from([0.9, 0.1, 0.8, 0.2, 0.1, 0.9, 0.3, 0.7, 0.1, 0.9]);
  const given = [0, 0, 0, 1, 1];

  it('flags a row whose label is under its class threshold while another class reaches its own', () => {
    const issues = findLabelIssues({ labels, probabilities, given });
    // Row 2 (a at 0.1 < 0.6, b at 0.9 >= 0.8). Row 3 (b at 0.7 < 0.8) is doubtful, but a's 0.3 is under a's 0.6: kept.
    assert.deepEqual(
      issues.map((i) => [i.index, i.given, i.suggested]),
      [[2, 'a', 'b']],
    );
    assert.ok(Math.abs(issues[0].margin - 0.8) < 1e-6);
  });

  it('ranks the most certain findings first', () => {
    // Thresholds: x (0.9 + 0.9 + 0.2 + 0.3) / 4 = 0.575, y 0.65, z 0.9. Rows 2 and 4 move to y, row 2 by more.
    const three = Float32Array.from([0.9, 0.05, 0.05, 0.9, 0.05, 0.05, 0.2, 0.7, 0.1, 0.05, 0.65, 0.3, 0.3, 0.68, 0.02, 0.05, 0.05, 0.9]);
    const issues = findLabelIssues({ labels: ['x', 'y', 'z'], probabilities: three, given: [0, 0, 0, 1, 0, 2] });
    assert.deepEqual(
      issues.map((i) => i.index),
      [2, 4],
    );
    assert.ok(issues[0].margin > issues[1].margin);
  });
});

describe('checkLabels', () => {
  it('finds most labels flipped on purpose, and few others', async () => {
    const examples = noisyKeywordExamples();
    const folds: number[] = [];
    const { issues } = await checkLabels({ examples, options: resolveOptions(FAST_TRAINING), folds: 3, onFold: (f) => folds.push(f) });
    assert.deepEqual(folds, [1, 2, 3]);
    const found = new Set(issues.map((i) => i.index));
    const hits = FLIPPED_ROWS.filter((i) => found.has(i)).length;
    assert.ok(hits >= 10, `found ${hits} of ${FLIPPED_ROWS.length} flipped rows: ${[...found].join(', ')}`);
    assert.ok(issues.length - hits <= 3, `${issues.length - hits} clean rows flagged`);
    for (const issue of issues.filter((i) => FLIPPED_ROWS.includes(i.index))) {
      assert.equal(issue.suggested, keywordExamples(300, 3)[issue.index].label, 'the suggestion is the true class');
    }
  });

  it('refuses a multi-label dataset and too few rows, and stops when cancelled', async () => {
    const multi = keywordExamples(30).map((e) => ({ ...e, labels: [e.label] }));
    await assert.rejects(checkLabels({ examples: multi, options: resolveOptions(FAST_TRAINING), folds: 3 }), TextcatError);
    await assert.rejects(
      checkLabels({ examples: keywordExamples(2), options: resolveOptions(FAST_TRAINING), folds: 3 }),
      /cannot be split into 3 folds/,
    );
    await assert.rejects(
      checkLabels({ examples: keywordExamples(30), options: resolveOptions(FAST_TRAINING), folds: 3, signal: { aborted: true } }),
      CancelledError,
    );
  });
});

describe('textcat check-labels', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'textcat-check-labels-'));
  const run = (args: string[]) =>
    spawnSync(process.execPath, [CLI, 'check-labels', ...args], { cwd: dir, encoding: 'utf8', timeout: 240_000 });

  it('prints the flipped rows by their line in the file, and leaves the file as it was', () => {
    const file = path.join(dir, 'noisy.csv');
    const csv = toCsv(noisyKeywordExamples());
    fs.writeFileSync(file, csv);
    const r = run([file, '--folds', '3', '--json', ...FAST_TRAINING_FLAGS]);
    assert.equal(r.status, 0, r.stderr);
    const rows = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { line: number; given: string; suggested: string; text: string });
    // Data rows start on line 2 (after the header): example i is on line i + 2.
    const lines = new Set(rows.map((row) => row.line));
    assert.ok(FLIPPED_ROWS.filter((i) => lines.has(i + 2)).length >= 10, `lines found: ${[...lines].join(', ')}`);
    assert.equal(fs.readFileSync(file, 'utf8'), csv);
    const text = run([file, '--folds', '3', '--limit', '2', ...FAST_TRAINING_FLAGS]);
    assert.equal(text.status, 0, text.stderr);
    assert.equal(text.stdout.trim().split('\n').length, 2);
    assert.match(text.stderr, /rows \([\d.]+ %\) have a label that 3-fold out-of-fold predictions doubt; the 2 most certain shown/);
    assert.match(text.stdout.split('\n')[0], /^\d+\t(error|info|warn)\t(error|info|warn)\t0\.\d{3}\t/);
  });

  it('says what is wrong with bad usage (exit 2)', () => {
    for (const [args, message] of [
      [['x.csv', '--folds', '1'], /--folds must be an integer from 2 to 20/],
      [[], /check-labels needs a dataset/],
      [['x.csv', '--epochs', '0'], /--epochs must be/],
    ] as const) {
      const r = run([...args]);
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, message);
    }
  });
});
