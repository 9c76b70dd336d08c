// "Would more labels help?": the sentence that reads a curve, a real curve on data where more rows do help, and the
// CLI command (needs `npm run build` first).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { curveVerdict, learningCurve, type CurvePoint } from '../../src/core/analysis/learningCurve';
import { resolveOptions } from '../../src/core/options';
import { CancelledError, TextcatError } from '../../src/core/types';
import { FAST_TRAINING, FAST_TRAINING_FLAGS, keywordExamples, toCsv } from './fixtures';

const CLI = path.resolve(__dirname, '../../dist/cli.js');

const curve = (...f1: number[]): CurvePoint[] =>
  f1.map((macroF1, i) => ({ share: (i + 1) / f1.length, rows: 100 * (i + 1), macroF1, accuracy: macroF1, seconds: 1 }));

describe('curveVerdict', () => {
  it('says a curve still rising at its end will likely gain from more labels', () => {
    assert.equal(
      curveVerdict(curve(0.5, 0.6, 0.66, 0.7)),
      'Still rising by 0.04 macro-F1 from 75 % to 100 % of the rows: more labels will likely help.',
    );
  });
  it('names the share the curve has been flat since', () => {
    assert.match(curveVerdict(curve(0.5, 0.8, 0.805, 0.809)), /^Flat since 50 % of the rows \(macro-F1 0\.80 there, 0\.81 with all\)/);
    assert.match(curveVerdict(curve(0.5, 0.6, 0.7, 0.705)), /^Flat from 75 % to 100 % of the rows/);
  });
  it('says when the last rows made the model worse', () => {
    assert.match(curveVerdict(curve(0.5, 0.6, 0.7, 0.65)), /^Macro-F1 fell by 0\.05 from 75 % to 100 %/);
  });
});

describe('learningCurve', () => {
  it('trains on nested shares, scores the same held-out rows, and rises on data where rows help', async () => {
    const examples = keywordExamples(240, 5);
    const shares: number[] = [];
    const result = await learningCurve({
      examples,
      options: resolveOptions(FAST_TRAINING),
      shares: [0.1, 1],
      onPoint: (_, __, s) => shares.push(s),
    });
    assert.deepEqual(shares, [0.1, 1]);
    assert.equal(result.heldOut, 24);
    assert.deepEqual(
      result.points.map((p) => p.rows),
      [22, 216],
    );
    assert.ok(result.points[1].macroF1 > result.points[0].macroF1, JSON.stringify(result.points));
    assert.equal(result.verdict, curveVerdict(result.points));
  });
  it('refuses shares that do not rise, multi-label data, and stops when cancelled', async () => {
    const options = resolveOptions(FAST_TRAINING);
    await assert.rejects(learningCurve({ examples: keywordExamples(60), options, shares: [0.5, 0.5] }), TextcatError);
    const multi = keywordExamples(60).map((e) => ({ ...e, labels: [e.label] }));
    await assert.rejects(learningCurve({ examples: multi, options }), /single-label datasets only/);
    await assert.rejects(learningCurve({ examples: keywordExamples(60), options, signal: { aborted: true } }), CancelledError);
  });
});

describe('textcat learning-curve', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'textcat-learning-curve-'));
  const run = (args: string[]) =>
    spawnSync(process.execPath, [CLI, 'learning-curve', ...args], { cwd: dir, encoding: 'utf8', timeout: 240_000 });

  it('prints one row per share and the verdict; --json gives the same curve', () => {
    const file = path.join(dir, 'data.csv');
    fs.writeFileSync(file, toCsv(keywordExamples(200, 5)));
    const text = run([file, '--shares', '50,100', ...FAST_TRAINING_FLAGS]);
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /^Learning curve of .*data\.csv \(macro-F1 on the same 21 held-out rows\)\n/);
    assert.match(text.stdout, /\n {3}50 % +90 +[01]\.\d{3}/);
    assert.match(text.stdout, /\n {2}100 % +179 +[01]\.\d{3}/);
    assert.match(text.stdout, /(Still rising|Flat|Macro-F1 fell)[^\n]*\n$/);
    const json = run([file, '--shares', '50,100', '--json', ...FAST_TRAINING_FLAGS]);
    assert.equal(json.status, 0, json.stderr);
    const parsed = JSON.parse(json.stdout) as { points: { rows: number }[]; verdict: string };
    assert.deepEqual(
      parsed.points.map((p) => p.rows),
      [90, 179],
    );
    assert.ok(text.stdout.includes(parsed.verdict), 'the same seed gives the same curve');
  });
  it('refuses shares that are not rising percentages (exit 2)', () => {
    for (const shares of ['50', '50,40', '0,100', '50,101', 'a,b']) {
      const r = run(['x.csv', '--shares', shares]);
      assert.equal(r.status, 2, `${shares}: ${r.stderr}`);
      assert.match(r.stderr, /--shares must be at least two rising percentages/);
    }
  });
});
