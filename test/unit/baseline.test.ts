// The linear baseline beside every run: a fixture where a linear model must win (an LSTM that sees only unknown
// tokens), the CLI saying so, the combination of the two models and its weights, and the LSTM alone's scores kept
// beside them (a third figure, and a sentence when the model relies on the n-grams).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { initBackend } from '../../src/core/backend';
import { baselineVerdict, lstmNote, readScores } from '../../src/core/baseline/verdict';
import { combinedParams, fitCombination } from '../../src/core/training/combine';
import { predictBatch, widePredict, type IdBatch } from '../../src/core/model/network';
import { initParams, type NetworkShape } from '../../src/core/model/params';
import { resolveOptions } from '../../src/core/options';
import { createRng } from '../../src/core/random';
import { train, TrainingCancelled } from '../../src/core/training/train';
import { trainJob } from '../../src/core/jobs';
import { loadModel, type ModelManifest } from '../../src/core/store/modelStore';
import { keywordExamples, toCsv } from './fixtures';

before(initBackend);

// A vocabulary of padding, unknown and one word: every keyword is unknown to the LSTM, which cannot tell the
// classes apart; the baseline reads every n-gram.
const blindLstm = { epochs: 2, embeddingDim: 8, hiddenUnits: 8, batchSize: 16, vocabSize: 3, patience: 0 };
// An LSTM that learns the keywords well enough to get a share of the combination (0.25 with this seed).
const seeingLstm = { epochs: 4, embeddingDim: 8, hiddenUnits: 8, batchSize: 16, patience: 0, learningRate: 0.01 };

test('on a fixture where a linear model must win, the baseline beats the LSTM and the verdict says so', async () => {
  const data = keywordExamples(300);
  const result = await train({ train: data, test: keywordExamples(90, 5), options: resolveOptions({ ...blindLstm, wideNgrams: 0 }) });
  const b = result.baseline;
  assert.ok(b.validation!.macroF1 >= 0.9, `baseline validation macro-F1 ${b.validation!.macroF1}`);
  assert.ok(b.test!.macroF1 >= 0.9, `baseline test macro-F1 ${b.test!.macroF1}`);
  assert.ok(result.validation!.macroF1 < 0.6, `the blind LSTM: ${result.validation!.macroF1}`);
  assert.equal(result.combination, undefined, 'no wide path, nothing combined');
  const verdict = baselineVerdict(result, b);
  assert.deepEqual(verdict && { set: verdict.set, beats: verdict.beats }, { set: 'test', beats: false });
  assert.ok(b.trainSeconds > 0 && b.ngrams > 20 && b.bestEpoch >= 1);
});

test('with a wide path the model keeps what the baseline knows, and the same seed gives the same run', async () => {
  const data = keywordExamples(300);
  const run = () => train({ train: data, options: resolveOptions(blindLstm) });
  const [a, again] = [await run(), await run()];
  assert.ok(a.combination && a.combination.ngrams > 0, JSON.stringify(a.combination));
  assert.ok(
    a.validation!.macroF1 >= a.baseline.validation!.macroF1 - 1e-9,
    `${a.validation!.macroF1} vs ${a.baseline.validation!.macroF1}`,
  );
  assert.deepEqual(again.baseline.validation, a.baseline.validation);
  assert.deepEqual(again.combination, a.combination);
  assert.deepEqual(again.validation, a.validation);
});

test('with a wide path the LSTM alone is scored, and scores as the same LSTM trained without the n-grams', async () => {
  const [data, held] = [keywordExamples(300), keywordExamples(90, 5)];
  const wide = await train({ train: data, test: held, options: resolveOptions(seeingLstm) });
  const plain = await train({ train: data, test: held, options: resolveOptions({ ...seeingLstm, wideNgrams: 0 }) });
  // The LSTM trains apart from the n-grams (combine.ts): with the same seed its weights, and so its scores, are those of the plain run.
  const scores = ({ accuracy, macroF1 }: { accuracy: number; macroF1: number }) => ({ accuracy, macroF1 });
  assert.deepEqual(wide.lstm, { validation: scores(plain.validation!), test: scores(plain.test!) });
  assert.ok(wide.combination && wide.combination.lstm > 0, JSON.stringify(wide.combination));
  assert.equal(plain.lstm, undefined, 'without a wide path the model is the LSTM: no second figure');
});

test('a blind LSTM beside a wide path gets weight 0, and the verdict notes that the model relies on the n-grams', async () => {
  const result = await train({ train: keywordExamples(300), test: keywordExamples(90, 5), options: resolveOptions(blindLstm) });
  assert.deepEqual(result.combination, { lstm: 0, ngrams: 1 });
  assert.ok(result.lstm!.test!.macroF1 < 0.6 && result.lstm!.validation!.macroF1 < 0.6, JSON.stringify(result.lstm));
  assert.equal(result.test!.macroF1, result.baseline.test!.macroF1, 'weight 0: the model predicts as the baseline');
  const verdict = baselineVerdict(result, result.baseline, result.lstm)!;
  assert.equal(verdict.lstm, result.lstm!.test!.macroF1, 'the LSTM alone on the set the verdict is on');
  assert.deepEqual(lstmNote(verdict, result.combination), { reason: 'unused', lstm: verdict.lstm, weight: 0 });
});

test('the note says unused at weight 0, below when the LSTM alone trails the baseline, and nothing otherwise', () => {
  const verdict = (lstm: number) =>
    baselineVerdict(
      { validation: { accuracy: 1, macroF1: 0.8 } },
      { validation: { accuracy: 1, macroF1: 0.7 } },
      { validation: { accuracy: 1, macroF1: lstm } },
    )!;
  assert.equal(lstmNote(verdict(0.9), { lstm: 0, ngrams: 1 })?.reason, 'unused');
  assert.deepEqual(lstmNote(verdict(0.6), { lstm: 0.4, ngrams: 0.6 }), { reason: 'below', lstm: 0.6, weight: 0.4 });
  assert.equal(lstmNote(verdict(0.7001), { lstm: 0.4, ngrams: 0.6 }), undefined, 'a tie at three decimals is not below');
  assert.equal(lstmNote(verdict(0.75), { lstm: 0.4, ngrams: 0.6 }), undefined);
  assert.equal(lstmNote(verdict(0.6), undefined), undefined, 'no combination: no wide path');
  assert.equal(lstmNote(verdict(0.6), { lstm: '0', ngrams: 1 }), undefined, 'a weight that is not a number is not read');
});

test('scores from an unchecked textcat.json are read only when they are numbers from 0 to 1', () => {
  const pair = { accuracy: 0.5, macroF1: 0.4 };
  assert.deepEqual(readScores({ validation: pair, test: pair, extra: 'x' }), { validation: pair, test: pair });
  assert.deepEqual(readScores({}), {});
  for (const bad of [
    '0.5',
    null,
    [pair],
    { validation: 'x' },
    { validation: { accuracy: 0.5, macroF1: '0.4' } },
    { test: { accuracy: NaN, macroF1: 0.4 } },
    { validation: { accuracy: 2, macroF1: 0.4 } },
  ]) {
    assert.equal(readScores(bad), undefined, JSON.stringify(bad));
  }
  const model = { validation: { accuracy: 0.9, macroF1: 0.9 } };
  for (const broken of [{ test: {} }, { test: { accuracy: 0.5, macroF1: 'x' } }, null, 'x']) {
    assert.equal(baselineVerdict(broken, { test: pair }), undefined, `the model's own scores, unchecked: ${JSON.stringify(broken)}`);
  }
  assert.equal(
    baselineVerdict(model, { validation: { accuracy: 1, macroF1: '<b>1</b>' } }),
    undefined,
    'a bad baseline: no verdict, no throw',
  );
  assert.equal(baselineVerdict(model, { validation: pair }, { validation: { macroF1: {} } })?.lstm, undefined);
});

test('a cancel request is seen while the baseline trains, before the LSTM starts', async () => {
  const signal = { aborted: true };
  let reports = 0;
  await assert.rejects(
    train({ train: keywordExamples(200), options: resolveOptions(blindLstm), signal, onProgress: () => reports++ }),
    TrainingCancelled,
  );
  assert.equal(reports, 0);
});

test('fitCombination weighs a model by what it knows on the validation rows', () => {
  const rng = createRng(3);
  const K = 3;
  const truth = Array.from({ length: 60 }, (_, i) => i % K);
  // One model is right on four rows of five and fairly sure, the other guesses.
  const said = (row: number) => (row % 5 === 4 ? (truth[row] + 1) % K : truth[row]);
  const knowing = new Float32Array(truth.length * K).map((_, x) => Math.log(said(Math.floor(x / K)) === x % K ? 0.8 : 0.1));
  const guessing = new Float32Array(truth.length * K).map(() => Math.log(0.05 + rng()));
  const c = fitCombination(guessing, knowing, truth, K);
  assert.ok(c.lstm <= 0.2 && c.ngrams >= 0.5, JSON.stringify(c));
  const swapped = fitCombination(knowing, guessing, truth, K);
  assert.deepEqual(swapped, { lstm: c.ngrams, ngrams: c.lstm });
});

test('the combined network predicts softmax(lstm weight · LSTM log-probabilities + n-gram weight · baseline log-probabilities)', () => {
  const K = 3;
  const shape: NetworkShape = { vocabSize: 6, embeddingDim: 3, hiddenUnits: 4, numClasses: K, bidirectional: true, ngramRows: 7 };
  const params = initParams(shape, createRng(4));
  const rng = createRng(8);
  const baseline = { table: new Float32Array(7 * K).map((_, i) => (i < K ? 0 : rng() * 4 - 2)), bias: Float32Array.from([0.3, -0.2, 0.1]) };
  const batch: IdBatch = {
    ids: Int32Array.from([0, 2, 3, 4, 5, 1]),
    batchSize: 2,
    steps: 3,
    ngrams: { ids: Int32Array.from([1, 4, 4, 6]), offsets: Int32Array.from([0, 3, 4]) },
  };
  const lstm = predictBatch(params, shape, batch); // the wide table is still zero: the LSTM alone
  const alone = { ...params, embedding: new Float32Array(0), directions: [], denseKernel: new Float32Array(0), denseBias: baseline.bias };
  const linear = widePredict({ ...alone, wide: { table: baseline.table, mask: params.wide!.mask } }, batch.ngrams!, K);
  const c = { lstm: 0.6, ngrams: 1.35 };
  const combined = predictBatch(combinedParams(params, baseline, c), shape, batch);
  for (let b = 0; b < 2; b++) {
    const logits = Array.from({ length: K }, (_, j) => c.lstm * Math.log(lstm[b * K + j]) + c.ngrams * Math.log(linear[b * K + j]));
    const max = Math.max(...logits);
    const sum = logits.reduce((s, l) => s + Math.exp(l - max), 0);
    logits.forEach((l, j) => assert.ok(Math.abs(Math.exp(l - max) / sum - combined[b * K + j]) < 1e-5, `row ${b} class ${j}`));
  }
});

let dir: string;
before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'textcat-baseline-'))));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

test('the CLI prints the baseline and says plainly when the model does not beat it; --json carries it', () => {
  const cli = path.resolve(__dirname, '../../dist/cli.js');
  const csv = path.join(dir, 'train.csv');
  fs.writeFileSync(csv, toCsv(keywordExamples(300)));
  const args = ['train', csv, '--out', path.join(dir, 'model'), '--vocab-size', '3', '--wide-ngrams', '0', '--epochs', '2'];
  const run = (extra: string[]) =>
    spawnSync(process.execPath, [cli, ...args, '--hidden-units', '8', '--embedding-dim', '8', ...extra], { encoding: 'utf8' });
  const text = run(['--quiet']);
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, /^Baseline \(linear, on word and character n-grams, [\d.]+ s\): validation macro-F1 \d\.\d{3}$/m);
  assert.match(text.stdout, /^The model does not beat the linear baseline \(macro-F1 \d\.\d{3} vs \d\.\d{3} on the validation set\)\.$/m);
  const json = run(['--json']);
  assert.equal(json.status, 0, json.stderr);
  const out = JSON.parse(json.stdout) as { baseline: { validation: { macroF1: number }; ngrams: number }; validation: { macroF1: number } };
  assert.ok(out.baseline.validation.macroF1 > out.validation.macroF1);
  const saved = JSON.parse(fs.readFileSync(path.join(dir, 'model', 'textcat.json'), 'utf8')) as typeof out;
  assert.deepEqual(saved.baseline, out.baseline, 'textcat.json holds the same baseline');
  // No wide path: the model is the LSTM, two figures.
  assert.doesNotMatch(text.stdout, /LSTM alone|n-gram path|LSTM \+ n-grams/);
  assert.equal((out as { lstm?: unknown }).lstm, undefined);
});

/** `textcat train` on the keyword fixture (and a held-out test set), with the flags given. */
function trainCli(name: string, flags: string[]) {
  const cli = path.resolve(__dirname, '../../dist/cli.js');
  const [csv, held] = [path.join(dir, `${name}.csv`), path.join(dir, `${name}-test.csv`)];
  fs.writeFileSync(csv, toCsv(keywordExamples(300)));
  fs.writeFileSync(held, toCsv(keywordExamples(90, 5)));
  const out = path.join(dir, `${name}-model`);
  const run = (extra: string[]) =>
    spawnSync(
      process.execPath,
      [
        cli,
        'train',
        csv,
        '--test',
        held,
        '--out',
        out,
        '--hidden-units',
        '8',
        '--embedding-dim',
        '8',
        '--batch-size',
        '16',
        '--patience',
        '0',
        ...flags,
        ...extra,
      ],
      {
        encoding: 'utf8',
      },
    );
  const text = run(['--quiet']);
  assert.equal(text.status, 0, text.stderr);
  const json = run(['--json']);
  assert.equal(json.status, 0, json.stderr);
  const saved = JSON.parse(fs.readFileSync(path.join(out, 'textcat.json'), 'utf8')) as ModelManifest;
  return { stdout: text.stdout, json: JSON.parse(json.stdout) as { lstm?: unknown; combination?: unknown }, saved };
}

test('the CLI says when the LSTM weighs 0 in the model: its own score, and that the model relies on the n-gram path', () => {
  const { stdout, json, saved } = trainCli('blind', ['--vocab-size', '3', '--epochs', '2']);
  assert.deepEqual(saved.combination, { lstm: 0, ngrams: 1 });
  assert.match(stdout, /^LSTM alone \(weight 0 in the model\): validation macro-F1 \d\.\d{3}, test macro-F1 \d\.\d{3}$/m);
  assert.match(stdout, /^The model \(LSTM \+ n-grams\) ties with the linear baseline \(macro-F1 (\d\.\d{3}) vs \1 on the test set\)\.$/m);
  const sentence = /^The LSTM alone scores (\d\.\d{3}); on this data the model relies on the n-gram path \(LSTM weight 0\)\.$/m.exec(
    stdout,
  );
  assert.ok(sentence, stdout);
  assert.equal(sentence[1], saved.lstm!.test!.macroF1.toFixed(3), 'the figure is the LSTM alone’s on the test set');
  assert.ok(saved.lstm!.test!.macroF1 < 0.6);
  assert.deepEqual(json.lstm, saved.lstm, '--json carries what textcat.json keeps');
});

test('the CLI shows three figures when the LSTM takes part: model (LSTM + n-grams), LSTM alone, baseline', () => {
  const { stdout, json, saved } = trainCli('seeing', ['--epochs', '4', '--learning-rate', '0.01']);
  assert.ok(saved.combination && saved.combination.lstm > 0, JSON.stringify(saved.combination));
  const weight = String(saved.combination.lstm).replace('.', '\\.');
  assert.match(
    stdout,
    /^Baseline \(linear, on word and character n-grams, [\d.]+ s\): validation macro-F1 \d\.\d{3}, test macro-F1 \d\.\d{3}$/m,
  );
  assert.match(
    stdout,
    new RegExp(
      `^LSTM alone \\(weight ${weight} in the model\\): validation macro-F1 ${saved.lstm!.validation!.macroF1.toFixed(3)}, test macro-F1 ${saved.lstm!.test!.macroF1.toFixed(3)}$`,
      'm',
    ),
  );
  assert.match(
    stdout,
    /^The model \(LSTM \+ n-grams\) (beats|ties with|does not beat) the (linear )?baseline \(macro-F1 \d\.\d{3} vs \d\.\d{3} on the test set\)\.$/m,
  );
  assert.doesNotMatch(stdout, /n-gram path|On its own/, 'the LSTM alone is not below the baseline here');
  assert.deepEqual(json.lstm, saved.lstm);
  assert.deepEqual(json.combination, saved.combination);
});

test('a saved model whose n-gram vocabulary does not match its wide path is refused', async () => {
  const csv = path.join(dir, 'small.csv');
  fs.writeFileSync(csv, toCsv(keywordExamples(60)));
  const modelDir = path.join(dir, 'wide-model');
  await trainJob({ dataset: { path: csv }, options: { ...blindLstm, epochs: 1 }, modelDir });
  const file = path.join(modelDir, 'textcat.json');
  const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as ModelManifest;
  assert.ok(manifest.shape.ngramRows && manifest.tokenizer.ngrams);
  await loadModel(modelDir);
  manifest.tokenizer.ngrams.hashes.pop();
  fs.writeFileSync(file, JSON.stringify(manifest));
  await assert.rejects(loadModel(modelDir), /textcat\.json: the n-gram vocabulary and the model disagree/);
});

test('a tie at the three decimals shown is a tie, neither beaten nor beating', () => {
  const scores = (macroF1: number) => ({ validation: { accuracy: 1, macroF1 } });
  assert.deepEqual(baselineVerdict(scores(1), scores(1)), { set: 'validation', model: 1, baseline: 1, beats: false, ties: true });
  assert.equal(baselineVerdict(scores(0.9001), scores(0.9))?.ties, true, '0.900 and 0.900 read the same');
  assert.deepEqual(
    [baselineVerdict(scores(0.91), scores(0.9)), baselineVerdict(scores(0.89), scores(0.9))].map((v) => v && [v.beats, v.ties]),
    [
      [true, false],
      [false, false],
    ],
  );
});
