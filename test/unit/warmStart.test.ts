// Warm-start retraining (core/training/warmStart.ts): continuing from the model in the folder keeps its labels and weights,
// grows the vocabulary and the classes, keeps the split, records its lineage, refuses what needs a full retrain,
// and leaves the old model in place when cancelled; then the CLI's --warm-start (needs `npm run build` first).
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { predictLines, trainJob, type TrainJob } from '../../src/core/jobs';
import type { TrainOptions } from '../../src/core/options';
import { loadModel, type ModelManifest } from '../../src/core/store/modelStore';
import { readModelSummary } from '../../src/core/store/modelSummary';
import { CancelledError, type Example } from '../../src/core/types';
import type { WorkerReply, WorkerRequest } from '../../src/protocol/worker';
import { WARM_START_DEFAULTS, WarmStartRefused } from '../../src/core/training/warmStart';
import { keywordExamples, toCsv } from './fixtures';

const CLI = path.resolve(__dirname, '../../dist/cli.js');
const WORKER = path.resolve(__dirname, '../../dist/worker.js');
const FAST: Partial<TrainOptions> = {
  hiddenUnits: 8,
  embeddingDim: 8,
  learningRate: 0.01,
  batchSize: 16,
  threads: 1,
  bidirectional: false,
};
const NEW_WORDS = ['segfault', 'kaboom', 'halted'];

/** The fixture's filler words: every model trained on it knows them. */
const FILLER = ['the', 'a', 'today', 'server', 'user', 'request', 'again', 'please', 'now', 'with', 'from', 'this'];

/** Distinct rows of class `label`, each with a keyword no earlier row has, among known filler words. */
function newRows(count: number, label: string, words = NEW_WORDS): Example[] {
  return Array.from({ length: count }, (_, i) => {
    const j = Math.floor(i / words.length);
    return { text: `${FILLER[j % 12]} ${words[i % words.length]} ${FILLER[Math.floor(j / 12) % 12]}`, label, line: 0 };
  });
}

function workspace(files: Record<string, readonly Example[]>): { dir: string; file: (name: string) => string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'textcat-warm-'));
  for (const [name, rows] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), toCsv(rows));
  return { dir, file: (name) => path.join(dir, name) };
}

const job = (dataset: string, modelDir: string, options: Partial<TrainOptions>, extra: Partial<TrainJob> = {}): TrainJob => ({
  dataset: { path: dataset },
  options,
  modelDir,
  ...extra,
});
const warm = (options: Partial<TrainOptions> = WARM_START_DEFAULTS) => ({ warmStart: { mode: 'require' as const, options } });

describe('warm start', () => {
  const a = keywordExamples(600, 3);
  const heldOut = keywordExamples(300, 99);
  // 1 % new rows, each with a word the first model never saw.
  const ws = workspace({ 'a.csv': a, 'b.csv': [...a, ...newRows(6, 'error')], 'test.csv': heldOut });
  let parent: ModelManifest;
  let warmed: ModelManifest;
  let full: ModelManifest;
  const model = path.join(ws.dir, 'model');

  before(async () => {
    const test = { path: ws.file('test.csv') };
    parent = await trainJob({ ...job(ws.file('a.csv'), model, FAST), test });
    warmed = await trainJob({ ...job(ws.file('b.csv'), model, FAST, warm()), test });
    full = await trainJob({ ...job(ws.file('b.csv'), path.join(ws.dir, 'full'), FAST), test });
  });

  it('keeps the labels, gives new words ids of their own after the old ones, and records its parent', async () => {
    assert.deepEqual(warmed.labels, parent.labels);
    const oldVocab = parent.tokenizer.vocab;
    assert.deepEqual(warmed.tokenizer.vocab.slice(0, oldVocab.length), oldVocab);
    for (const word of NEW_WORDS) assert.ok(warmed.tokenizer.vocab.indexOf(word) >= oldVocab.length, word);
    assert.equal(warmed.parentRunId, parent.runId);
    assert.deepEqual(warmed.warmStart, { epochs: warmed.history.length, newRows: 6, newWords: NEW_WORDS.length, newLabels: [] });
    assert.equal(parent.parentRunId, undefined);
    // Saved and read back: the run list and the sidebar's reader carry the lineage; the split record stays out.
    const summary = readModelSummary(model);
    assert.equal(summary.parentRunId, parent.runId);
    assert.deepEqual(summary.warmStart, warmed.warmStart);
    assert.equal(summary.runs[0].parentRunId, parent.runId);
    assert.equal(summary.runs[1].id, parent.runId);
    assert.equal(summary.runs[1].parentRunId, undefined);
    assert.equal('split' in summary, false);
    const loaded = await loadModel(model);
    const [line] = await predictLines(loaded, ['the server kaboom again']);
    assert.ok(loaded.tokenizer.encode('kaboom')[0] > 1, 'a new word is not read as unknown');
    assert.equal(typeof line.label, 'string');
  });

  it('runs fewer epochs than a full retrain and scores within .02 macro-F1 of it on held-out rows', () => {
    assert.ok(warmed.history.length <= WARM_START_DEFAULTS.epochs);
    assert.ok(warmed.history.length < full.history.length, `${warmed.history.length} vs ${full.history.length}`);
    const [w, f] = [warmed.metrics.test!.macroF1, full.metrics.test!.macroF1];
    assert.ok(Math.abs(w - f) <= 0.02, `warm ${w} vs full ${f}`);
    assert.ok(w > 0.9, `warm ${w}`);
  });

  it('keeps the parent’s validation rows in validation and splits the new rows too', async () => {
    const more = newRows(60, 'info', ['rebooted', 'online', 'synced']);
    const data = workspace({ 'c.csv': [...a, ...newRows(6, 'error'), ...more] });
    const dir = path.join(data.dir, 'model');
    fs.cpSync(model, dir, { recursive: true });
    const before = readModelSummary(dir);
    const after = await trainJob(job(data.file('c.csv'), dir, FAST, warm()));
    const was = new Set(before.validationExamples.map((e) => e.text));
    const now = new Set(after.validationExamples.map((e) => e.text));
    for (const text of was) assert.ok(now.has(text), `parent validation row left validation: ${text}`);
    const added = [...now].filter((t) => !was.has(t));
    const fresh = new Set(more.map((e) => e.text));
    assert.ok(
      added.every((t) => fresh.has(t)),
      'a row the parent learned from moved into validation',
    );
    assert.equal(added.length, 6, 'the new rows are split by the same share (10 %)');
    assert.equal(after.warmStart!.newRows, 60);
  });

  it('continues from the parent’s weights: at a negligible learning rate it scores as the parent did', async () => {
    for (const wideNgrams of [0, 500000]) {
      const data = workspace({ 'a.csv': a.slice(0, 300) });
      const dir = path.join(data.dir, 'model');
      const options = { ...FAST, wideNgrams, epochs: 6 };
      const first = await trainJob(job(data.file('a.csv'), dir, options));
      const again = await trainJob(job(data.file('a.csv'), dir, { ...options, learningRate: 1e-6 }, warm({ epochs: 1 })));
      // The epoch's validation loss is the LSTM's alone (the n-gram path joins after training): with a wide path it
      // is only the parent's when the combined output layer was divided back correctly.
      const parentLoss = first.history[first.bestEpoch - 1].validationLoss!;
      const warmLoss = again.history[0].validationLoss!;
      assert.ok(Math.abs(warmLoss - parentLoss) < 0.02 * Math.max(1, parentLoss), `wide ${wideNgrams}: ${warmLoss} vs ${parentLoss}`);
      const scratch = await trainJob(job(data.file('a.csv'), path.join(data.dir, 'fresh'), { ...options, learningRate: 1e-6, epochs: 1 }));
      assert.ok(scratch.history[0].validationLoss! > parentLoss + 0.3, 'a fresh model at this rate is far from the parent');
    }
  });

  it('keeps the parent when no fine-tune epoch beats it on validation, reading new words as the parent did', async () => {
    const data = workspace({ 'a.csv': a.slice(0, 300), 'b.csv': [...a.slice(0, 300), ...newRows(6, 'error')] });
    const dir = path.join(data.dir, 'model');
    // No n-gram path: it is refit on every run, so only without it is the kept model the parent to the last digit.
    const options = { ...FAST, wideNgrams: 0, epochs: 6 };
    const first = await trainJob(job(data.file('a.csv'), dir, options));
    const lines = [...first.validationExamples.map((e) => e.text), 'the server kaboom again', 'segfault halted now'];
    const before = await predictLines(await loadModel(dir), lines);
    // A learning rate of 1 throws the weights far off within an epoch: no epoch of this fine-tune beats its parent.
    const kept = await trainJob(job(data.file('b.csv'), dir, { ...options, learningRate: 1 }, warm()));
    assert.equal(kept.bestEpoch, 0);
    assert.equal(kept.history.length, WARM_START_DEFAULTS.patience, 'it stops once the patience is spent');
    assert.deepEqual(kept.warmStart, { epochs: WARM_START_DEFAULTS.patience, newRows: 6, newWords: 3, newLabels: [], keptParent: true });
    assert.equal(kept.parentRunId, first.runId);
    assert.equal(readModelSummary(dir).warmStart?.keptParent, true, 'the sidebar reads it back');
    // The new words have ids of their own, yet the kept model reads them as unknown, as the parent did.
    const loaded = await loadModel(dir);
    assert.ok(loaded.tokenizer.encode('kaboom')[0] > 1);
    const after = await predictLines(loaded, lines);
    after.forEach((p, i) =>
      p.probabilities.forEach((x, k) =>
        assert.ok(Math.abs(x - before[i].probabilities[k]) < 1e-5, `${lines[i]}: ${x} vs ${before[i].probabilities[k]}`),
      ),
    );
    // A fine-tune that does beat its parent says nothing of the kind.
    const next = await trainJob(job(data.file('b.csv'), dir, options, warm()));
    assert.equal(next.warmStart?.keptParent, undefined);
    assert.ok(next.bestEpoch >= 1);
  });

  it('adds an output unit for a class the model lacks, and keeps the classes it had', async () => {
    const two = keywordExamples(400, 5, ['error', 'info']);
    const data = workspace({
      'two.csv': two,
      'three.csv': [...two, ...keywordExamples(60, 6, ['warn'])],
      'test.csv': keywordExamples(90, 8),
    });
    const dir = path.join(data.dir, 'model');
    await trainJob(job(data.file('two.csv'), dir, FAST));
    const grown = await trainJob({
      ...job(data.file('three.csv'), dir, FAST, warm({ epochs: 8, patience: 3 })),
      test: { path: data.file('test.csv') },
    });
    assert.deepEqual(grown.labels, ['error', 'info', 'warn']);
    assert.deepEqual(grown.warmStart!.newLabels, ['warn']);
    const perClass = new Map(grown.metrics.test!.perClass.map((c) => [c.label, c.f1]));
    for (const label of ['error', 'info', 'warn']) assert.ok(perClass.get(label)! > 0.8, `${label}: ${perClass.get(label)}`);
  });

  it('refuses options that change the network, or a folder without a model; "prefer" retrains fully instead', async () => {
    const data = workspace({ 'a.csv': a.slice(0, 200) });
    const dir = path.join(data.dir, 'model');
    await assert.rejects(trainJob(job(data.file('a.csv'), dir, FAST, warm())), (e: Error) => {
      assert.ok(e instanceof WarmStartRefused);
      assert.match(e.message, /cannot warm-start: there is no model in .* to continue from; retrain from scratch instead/);
      return true;
    });
    assert.equal(fs.existsSync(dir), false, 'a refused warm start writes nothing');
    const first = await trainJob(job(data.file('a.csv'), dir, { ...FAST, epochs: 2 }));
    for (const [option, value] of [
      ['embeddingDim', 16],
      ['hiddenUnits', 12],
      ['bidirectional', true],
      ['wideNgrams', 1000],
      ['maxLength', 20],
      ['tokenMode', 'char'],
    ] as const) {
      await assert.rejects(
        trainJob(job(data.file('a.csv'), dir, { ...FAST, [option]: value }, warm())),
        (e: Error) => e instanceof WarmStartRefused && e.message.includes(`${option} ${JSON.stringify(value)} (the model has`),
      );
    }
    assert.equal(readModelSummary(dir).runId, first.runId);
    const reasons: string[] = [];
    const fallback = await trainJob(
      job(
        data.file('a.csv'),
        dir,
        { ...FAST, embeddingDim: 16, epochs: 2 },
        {
          warmStart: { mode: 'prefer', options: WARM_START_DEFAULTS, onFullRetrain: (r) => reasons.push(r) },
        },
      ),
    );
    assert.equal(reasons.length, 1);
    assert.match(reasons[0], /embeddingDim 16 \(the model has 8\) changes the network or its split/);
    assert.equal(fallback.parentRunId, undefined);
    assert.equal(fallback.shape.embeddingDim, 16);
    assert.equal(fallback.options.epochs, 2, 'a full retrain takes the job’s options, not the warm start’s');
  });

  it('continues a model saved before splits were recorded, saying its validation may be optimistic', async () => {
    const data = workspace({ 'b.csv': [...a, ...newRows(6, 'error')] });
    const dir = path.join(data.dir, 'model');
    fs.cpSync(model, dir, { recursive: true });
    const file = path.join(dir, 'textcat.json');
    const { split: _split, parentRunId: _p, warmStart: _w, ...old } = JSON.parse(fs.readFileSync(file, 'utf8')) as ModelManifest;
    fs.writeFileSync(file, JSON.stringify(old));
    const warnings: string[] = [];
    const next = await trainJob(job(data.file('b.csv'), dir, FAST, { ...warm(), onDatasetLoaded: (_, w) => warnings.push(...w) }));
    assert.ok(
      warnings.some((w) => /does not record which rows it was validated on/.test(w)),
      warnings.join('\n'),
    );
    assert.equal(next.parentRunId, old.runId);
    assert.ok(next.split, 'the new model records its split');
  });

  it('drops malformed lineage from what a UI reads', () => {
    const data = workspace({});
    const dir = path.join(data.dir, 'model');
    fs.cpSync(model, dir, { recursive: true });
    const file = path.join(dir, 'textcat.json');
    const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    fs.writeFileSync(file, JSON.stringify({ ...manifest, warmStart: { epochs: 'many', newRows: 1, newWords: 1 } }));
    const summary = readModelSummary(dir);
    assert.equal(summary.parentRunId, undefined);
    assert.equal(summary.warmStart, undefined);
  });

  it('leaves the previous model as it was when cancelled', async () => {
    const data = workspace({ 'b.csv': [...a, ...newRows(6, 'error')] });
    const dir = path.join(data.dir, 'model');
    fs.cpSync(model, dir, { recursive: true });
    const files = ['textcat.json', 'model.json', 'weights.bin'].map((f) => fs.readFileSync(path.join(dir, f)));
    const signal = { aborted: false };
    await assert.rejects(
      trainJob(job(data.file('b.csv'), dir, FAST, { ...warm(), signal, onProgress: () => (signal.aborted = true) })),
      CancelledError,
    );
    ['textcat.json', 'model.json', 'weights.bin'].forEach((f, i) => assert.ok(fs.readFileSync(path.join(dir, f)).equals(files[i]), f));
  });
});

describe('textcat train --warm-start', () => {
  const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  const flags = ['--hidden-units', '8', '--embedding-dim', '8', '--no-bidirectional', '--threads', '1', '--batch-size', '16'];

  it('continues the model in --out, says so, and refuses what needs a full retrain', () => {
    const a = keywordExamples(200, 4);
    const data = workspace({ 'a.csv': a, 'b.csv': [...a, ...newRows(4, 'warn')] });
    const out = path.join(data.dir, 'model');
    const none = cli('train', data.file('a.csv'), '--out', out, '--warm-start', ...flags);
    assert.equal(none.status, 1, none.stderr);
    assert.match(none.stderr, /cannot warm-start: there is no model in .* \(run without --warm-start\)/);
    const first = cli('train', data.file('a.csv'), '--out', out, '--epochs', '3', '--quiet', ...flags);
    assert.equal(first.status, 0, first.stderr);
    const next = cli('train', data.file('b.csv'), '--out', out, '--warm-start', ...flags);
    assert.equal(next.status, 0, next.stderr);
    assert.match(next.stdout, /Warm start from run \S+: \d epoch\(s\), 4 new row\(s\), 3 new word\(s\)/);
    // The warm start's own schedule: 5 epochs unless --epochs says otherwise.
    assert.match(next.stderr, /epoch 1\/5 /);
    const json = cli('train', data.file('b.csv'), '--out', out, '--warm-start', '--epochs', '2', '--json', ...flags);
    assert.equal(json.status, 0, json.stderr);
    const result = JSON.parse(json.stdout) as { parentRunId: string; warmStart: { epochs: number; newRows: number } };
    assert.equal(result.warmStart.newRows, 0, 'every row was seen by the parent');
    assert.ok(result.warmStart.epochs <= 2);
    const refused = cli('train', data.file('b.csv'), '--out', out, '--warm-start', ...flags.slice(0, 2), '--embedding-dim', '16');
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /cannot warm-start: embeddingDim 16 \(the model has 8\).*\(run without --warm-start\)/);
  });
});

describe('the worker’s train request with warmStart', () => {
  it('continues the model in the folder, or trains from scratch and says why', async () => {
    const data = workspace({ 'a.csv': keywordExamples(200, 4) });
    const modelDir = path.join(data.dir, 'model');
    const worker = new Worker(WORKER);
    /** The request's final reply (progress and the dataset's summary come before it). */
    const ask = (request: WorkerRequest) =>
      new Promise<WorkerReply>((resolve) => {
        const listen = (reply: WorkerReply) => {
          if (reply.id !== request.id || reply.type === 'progress' || reply.type === 'datasetLoaded') return;
          worker.off('message', listen);
          resolve(reply);
        };
        worker.on('message', listen);
        worker.postMessage(request);
      });
    const request = (id: number): WorkerRequest => ({
      type: 'train',
      id,
      dataset: { path: data.file('a.csv') },
      options: FAST,
      modelDir,
      askColumnsIfUnsure: false,
      warmStart: true,
    });
    try {
      const first = await ask(request(1));
      assert.equal(first.type, 'trained', JSON.stringify(first));
      if (first.type !== 'trained') return;
      assert.match(first.fullRetrainReason ?? '', /there is no model in .* to continue from/);
      assert.equal(first.manifest.parentRunId, undefined);
      const second = await ask(request(2));
      assert.equal(second.type, 'trained', JSON.stringify(second));
      if (second.type !== 'trained') return;
      assert.equal(second.fullRetrainReason, undefined);
      assert.equal(second.manifest.parentRunId, first.manifest.runId);
      assert.ok(second.manifest.history.length <= WARM_START_DEFAULTS.epochs);
      // The reply carries what a UI shows, not the vocabulary or the split record.
      assert.equal('split' in second.manifest, false);
      assert.equal('tokenizer' in second.manifest, false);
    } finally {
      await worker.terminate();
    }
  });
});
