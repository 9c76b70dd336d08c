// Autotune: durations, the seeded walk of configurations, a real search with tiny models (the first trial is the
// starting options, the chosen one the best, the budget stops it), the n-gram path kept when the baseline wins, the
// record in textcat.json, and the CLI flag (needs `npm run build` first).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { autotune, foldsFor } from '../../src/core/autotune/autotune';
import { autotuneJob } from '../../src/core/autotune/autotuneJob';
import { configurations, parseDuration, searchedOptions, SEARCH_SPACE, type SearchSpace } from '../../src/core/autotune/autotuneSpace';
import { DEFAULT_OPTIONS, resolveOptions, type TrainOptions } from '../../src/core/options';
import { loadModel } from '../../src/core/store/modelStore';
import { readModelSummary } from '../../src/core/store/modelSummary';
import { evaluate } from '../../src/core/training/train';
import { CancelledError, TextcatError, type Example } from '../../src/core/types';
import { FAST_TRAINING, keywordExamples, toCsv } from './fixtures';

const CLI = path.resolve(__dirname, '../../dist/cli.js');
/** The shared small models, with fewer epochs: a search trains many. */
const FAST = { ...FAST_TRAINING, epochs: 6 };
/** Ladders of tiny models, so a trial takes a second. */
const TINY: SearchSpace = {
  embeddingDim: [4, 8, 16],
  hiddenUnits: [4, 8, 16],
  dropout: [0.2, 0.5],
  learningRate: [0.005, 0.02, 0.05],
  bidirectional: [false, true],
  wideNgrams: [0, 100_000],
};

/** Keyword data with every fifth label moved to the next class: no configuration scores 1, and they differ. */
function noisy(count: number): Example[] {
  const classes = ['error', 'info', 'warn'];
  return keywordExamples(count, 7).map((e, i) => (i % 5 === 2 ? { ...e, label: classes[(classes.indexOf(e.label) + 1) % 3] } : e));
}

describe('parseDuration', () => {
  it('reads a number and a unit', () => {
    assert.equal(parseDuration('90s'), 90);
    assert.equal(parseDuration('5m'), 300);
    assert.equal(parseDuration('1h'), 3600);
    assert.equal(parseDuration('1.5m'), 90);
    assert.equal(parseDuration('2min'), 120);
  });
  it('refuses anything else, zero and more than a week', () => {
    for (const text of ['5', '5x', '', 'm', '0s', '-1m', '1m30s', '169h', '0.5s'])
      assert.throws(() => parseDuration(text), TextcatError, text);
  });
});

describe('configurations', () => {
  const base = resolveOptions();
  const first = (seed: number, count: number, fixed = new Set<string>()) => {
    const out: TrainOptions[] = [];
    for (const options of configurations(seed, SEARCH_SPACE, base, searchedOptions(SEARCH_SPACE, base, fixed))) {
      out.push(options);
      if (out.length === count) break;
    }
    return out;
  };
  it('starts with the starting options, then the same distinct walk for the same seed', () => {
    const walk = first(42, 30);
    assert.deepEqual(walk[0], base);
    assert.deepEqual(first(42, 30), walk);
    assert.notDeepEqual(first(43, 30), walk);
    assert.equal(new Set(walk.map((o) => JSON.stringify(o))).size, 30);
  });
  it('changes only searched options, to values on their ladders, and never a fixed one', () => {
    for (const options of first(7, 40, new Set(['hiddenUnits', 'bidirectional']))) {
      assert.equal(options.hiddenUnits, base.hiddenUnits);
      assert.equal(options.bidirectional, base.bidirectional);
      for (const [name, value] of Object.entries(options)) {
        const ladder = SEARCH_SPACE[name as keyof SearchSpace] as readonly unknown[] | undefined;
        if (ladder) assert.ok(ladder.includes(value), `${name} ${String(value)}`);
        else assert.equal(value, base[name as keyof TrainOptions], name);
      }
    }
  });
  it('leaves embeddingDim alone when pretrained vectors set it', () => {
    assert.ok(!searchedOptions(SEARCH_SPACE, { ...base, pretrainedVectors: 'v.vec' }).includes('embeddingDim'));
  });
});

describe('foldsFor', () => {
  it('uses 3 folds under 2,000 rows and the validation split above', () => {
    assert.equal(foldsFor(300), 3);
    assert.equal(foldsFor(1999), 3);
    assert.equal(foldsFor(2000), 1);
    assert.equal(foldsFor(300, 1), 1);
  });
});

describe('autotune', () => {
  it('tries the starting options first, chooses the best trial, and stops within the budget; the same seed walks the same way', async () => {
    const examples = noisy(240);
    const stops: [string, TrainOptions | undefined][] = [];
    const run = () =>
      autotune({
        examples,
        options: resolveOptions(FAST),
        budgetSeconds: 3,
        space: TINY,
        onStopped: (why, skipped) => stops.push([why, skipped as TrainOptions | undefined]),
      });
    const { record, model } = await run();
    assert.deepEqual(record.trials[0].changes, {});
    assert.equal(record.folds, 3);
    const scores = record.trials.map((t) => t.validationMacroF1);
    assert.equal(record.chosen, scores.indexOf(Math.max(...scores)) + 1, JSON.stringify(record.trials));
    assert.deepEqual(model.options, {
      ...resolveOptions(FAST),
      ...record.trials[record.chosen - 1].changes,
      ...(record.ngramOnly ? { wideNgrams: DEFAULT_OPTIONS.wideNgrams } : {}),
    });
    assert.equal(record.final, 'retrained');
    // A trial starts only while the budget lasts: every trial before the last began inside it.
    const beforeLast = record.trials.slice(0, -1).reduce((sum, t) => sum + t.seconds, 0);
    assert.ok(beforeLast < 3, JSON.stringify(record.trials));
    // The budget, not the end of the space, stopped it (how many trials fit depends on the machine's speed).
    assert.match(record.stopped, /budget/);
    // The configuration the budget left no time for is told with the reason: the walk's next, unlike any that ran.
    assert.equal(stops.length, 1);
    const [why, skipped] = stops[0];
    assert.equal(why, record.stopped);
    assert.ok(skipped && Object.keys(skipped).length > 0, `skipped: ${JSON.stringify(skipped)}`);
    for (const t of record.trials) assert.notDeepEqual(skipped, t.changes);
    // The same seed walks the same way: the configurations both runs tried come in the same order (which ones a
    // run passes over for time depends on the machine's speed).
    const again = await run();
    const keys = (trials: typeof record.trials) => trials.map((t) => JSON.stringify(t.changes));
    const [first, second] = [keys(record.trials), keys(again.record.trials)];
    assert.deepEqual(
      first.filter((k) => second.includes(k)),
      second.filter((k) => first.includes(k)),
    );
  });

  it('passes over a configuration too long for the budget left and goes on with cheaper ones', async () => {
    // Hidden 1,024 is hundreds of times the work of the others: never within 10 s of a search whose trials take
    // a fraction of a second (a few minutes, estimated), while the small ones after it in the walk are.
    const space: SearchSpace = { ...TINY, hiddenUnits: [4, 8, 1024], bidirectional: [false], wideNgrams: [0] };
    const events: string[] = [];
    const passed: Partial<TrainOptions>[] = [];
    const { record } = await autotune({
      examples: keywordExamples(150, 7),
      options: resolveOptions(FAST),
      budgetSeconds: 10,
      folds: 1,
      space,
      onTrialStart: () => events.push('trial'),
      onPassedOver: (changes, seconds) => {
        assert.ok(seconds > 0);
        passed.push(changes);
        events.push('passed');
      },
    });
    assert.ok(passed.length > 0, 'the walk has configurations of 1,024 units');
    for (const changes of passed) assert.equal(changes.hiddenUnits, 1024, JSON.stringify(changes));
    for (const t of record.trials) assert.notEqual(t.changes.hiddenUnits, 1024, JSON.stringify(t.changes));
    assert.ok(events.indexOf('trial', events.indexOf('passed')) > 0, `a trial after one passed over: ${events.join(' ')}`);
  });

  it('keeps a trial above the starting options only when it scores above them, and says why', async () => {
    const { record } = await autotune({ examples: noisy(150), options: resolveOptions(FAST), budgetSeconds: 6, space: TINY, folds: 1 });
    assert.equal(record.final, 'trial');
    const first = record.trials[0].validationMacroF1;
    const chosen = record.trials[record.chosen - 1].validationMacroF1;
    assert.ok(chosen >= first);
    if (record.chosen === 1) assert.match(record.why, /the starting options .* scored best/);
    else
      assert.match(
        record.why,
        new RegExp(`trial ${record.chosen} \\(.*\\) scored best: validation macro-F1 ${chosen.toFixed(3)} against ${first.toFixed(3)}`),
      );
  });

  it('saves the n-gram path alone when the linear baseline beats the model, and the saved model scores as recorded', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'textcat-autotune-'));
    const data = path.join(dir, 'data.csv');
    fs.writeFileSync(data, toCsv(keywordExamples(200, 4)));
    // An LSTM that cannot learn in one epoch at this rate, and no n-gram path of its own: the baseline wins.
    const crippled = { ...FAST, hiddenUnits: 2, embeddingDim: 2, epochs: 1, learningRate: 1e-5, wideNgrams: 0 };
    const { manifest, record } = await autotuneJob({
      dataset: { path: data },
      options: crippled,
      budgetSeconds: 5,
      space: {},
      folds: 1,
      modelDir: path.join(dir, 'model'),
    });
    assert.equal(record.ngramOnly, true, record.why);
    assert.match(record.why, /n-gram path alone \(LSTM weight 0\)/);
    assert.deepEqual(manifest.combination, { lstm: 0, ngrams: 1 });
    assert.equal(manifest.metrics.validation!.macroF1, manifest.baseline!.validation!.macroF1);
    assert.ok(manifest.lstm!.validation!.macroF1 < manifest.baseline!.validation!.macroF1);
    const loaded = await loadModel(path.join(dir, 'model'));
    const again = await evaluate(loaded, manifest.validationExamples);
    assert.equal(again.metrics.macroF1, manifest.metrics.validation!.macroF1);
    assert.deepEqual(readModelSummary(path.join(dir, 'model')).autotune, record);
  });

  it('refuses multi-label data and stops when cancelled', async () => {
    const options = resolveOptions(FAST);
    const multi = keywordExamples(60).map((e) => ({ ...e, labels: [e.label] }));
    await assert.rejects(autotune({ examples: multi, options, budgetSeconds: 5 }), /single-label datasets only/);
    await assert.rejects(autotune({ examples: keywordExamples(60), options, budgetSeconds: 5, signal: { aborted: true } }), CancelledError);
  });
});

describe('the autotune record in textcat.json', () => {
  it('is dropped when malformed, and a manifest without one stays valid', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'textcat-autotune-record-'));
    const data = path.join(dir, 'data.csv');
    fs.writeFileSync(data, toCsv(keywordExamples(60, 2)));
    const model = path.join(dir, 'model');
    await autotuneJob({ dataset: { path: data }, options: FAST, budgetSeconds: 1, space: {}, folds: 1, modelDir: model });
    const file = path.join(model, 'textcat.json');
    const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown> & { autotune: Record<string, unknown> };
    assert.equal(readModelSummary(model).autotune?.trials.length, 1);
    for (const bad of [
      { ...manifest.autotune, chosen: 2 },
      {
        ...manifest.autotune,
        trials: [{ index: 1, changes: { hiddenUnits: 'many' }, validationMacroF1: 1, validationAccuracy: 1, seconds: 1 }],
      },
      {
        ...manifest.autotune,
        trials: [{ index: 1, changes: { notAnOption: 1 }, validationMacroF1: 1, validationAccuracy: 1, seconds: 1 }],
      },
      { ...manifest.autotune, why: 3 },
    ]) {
      fs.writeFileSync(file, JSON.stringify({ ...manifest, autotune: bad }));
      const summary = readModelSummary(model);
      assert.equal(summary.autotune, undefined, JSON.stringify(bad));
      assert.equal(summary.runId, manifest.runId);
    }
    const { autotune: _dropped, ...old } = manifest;
    fs.writeFileSync(file, JSON.stringify(old));
    assert.equal(readModelSummary(model).autotune, undefined);
    await loadModel(model);
  });
});

describe('textcat train --autotune', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'textcat-autotune-cli-'));
  const run = (args: string[]) => spawnSync(process.execPath, [CLI, 'train', ...args], { cwd: dir, encoding: 'utf8', timeout: 240_000 });
  const flags = '--hidden-units 8 --embedding-dim 8 --epochs 6 --learning-rate 0.02 --batch-size 16 --patience 0 --threads 1'.split(' ');

  it('prints each trial on stderr as it ends, the trials under the metrics, and keeps them in textcat.json and --json', () => {
    fs.writeFileSync(path.join(dir, 'data.csv'), toCsv(noisy(150)));
    const text = run(['data.csv', '--autotune', '3s', '--out', 'm', ...flags]);
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stderr, /each trial scored by 3-fold cross-validation \(under 2000 rows/);
    assert.match(text.stderr, /\ntrial 1 {2}macro-F1 [01]\.\d{3} {2}\d+\.\d s {2}defaults {2}\(best so far\)\n/);
    assert.match(text.stderr, /\nstopped: /);
    assert.match(
      text.stdout,
      /\nAutotune: \d+ trials? in \d+ s \(budget 3 s; macro-F1 by 3-fold cross-validation\)\n {2}trial {2}macro-F1/,
    );
    assert.match(text.stdout, /\n[* ] {5}1 +[01]\.\d{3} +\d+\.\d {2}given options\n/);
    const saved = JSON.parse(fs.readFileSync(path.join(dir, 'm', 'textcat.json'), 'utf8')) as {
      autotune: { trials: unknown[]; budgetSeconds: number; start: object };
    };
    assert.equal(saved.autotune.budgetSeconds, 3);
    assert.deepEqual(Object.keys(saved.autotune.start).sort(), [
      'batchSize',
      'embeddingDim',
      'epochs',
      'hiddenUnits',
      'learningRate',
      'patience',
      'threads',
    ]);
    const json = run(['data.csv', '--autotune', '2s', '--out', 'm', '--json', ...flags]);
    assert.equal(json.status, 0, json.stderr);
    assert.equal(json.stderr, '');
    const parsed = JSON.parse(json.stdout) as { autotune: { trials: { changes: object }[]; chosen: number; why: string } };
    assert.deepEqual(parsed.autotune.trials[0].changes, {});
    assert.ok(parsed.autotune.why.length > 0);
  });

  it('refuses a multi-label dataset with a data error (exit 1) before any trial', () => {
    fs.writeFileSync(path.join(dir, 'multi.csv'), 'text,label\nhello there,a|b\nfoo bar,a\nbaz qux,b\nmore text,a|b\n');
    const r = run(['multi.csv', '--autotune', '1m', '--out', 'mm', ...flags]);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /multi\.csv: autotune works on single-label datasets only \(this one is multi-label\)/);
    assert.doesNotMatch(r.stderr, /trial 1/);
  });

  it('refuses a duration that is not one (exit 2) before reading anything', () => {
    for (const bad of ['5', '5x', '0m', 'soon']) {
      const r = run(['missing.csv', '--autotune', bad]);
      assert.equal(r.status, 2, `${bad}: ${r.stderr}`);
      assert.match(r.stderr, /--autotune: a duration is a number and a unit/);
    }
    const missing = run(['missing.csv', '--autotune']);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /option '--autotune' needs a value/);
  });
});
