import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tfl from '@tensorflow/tfjs-layers';
import { initBackend, tf } from '../../src/core/backend';
import { kernelBytesInUse, kernelMemoryBytes } from '../../src/core/model/kernel';
import { resolveOptions } from '../../src/core/options';
import { predictTexts } from '../../src/core/predict';
import { train, TrainingCancelled, type TrainProgress } from '../../src/core/training/train';
import { loadModel, saveModel, summarizeDataset, loadLayers, type ModelManifest } from '../../src/core/store/modelStore';
import { trainJob } from '../../src/core/jobs';
import { keywordExamples, toCsv } from './fixtures';

before(initBackend);

const small = { epochs: 4, embeddingDim: 8, hiddenUnits: 8, batchSize: 16, patience: 0 };

test('a keyword task is learned, and the same seed gives the same metrics', async () => {
  const data = keywordExamples(300);
  const run = () => train({ train: data, options: resolveOptions({ ...small, epochs: 8, learningRate: 0.01 }) });
  const [a, b] = [await run(), await run()];
  assert.ok(a.validation!.accuracy >= 0.9, `validation accuracy ${a.validation!.accuracy}`);
  assert.deepEqual(
    a.history.map((h) => h.loss),
    b.history.map((h) => h.loss),
  );
  assert.deepEqual(a.validation, b.validation);
  const c = await train({ train: data, options: resolveOptions({ ...small, epochs: 8, learningRate: 0.01, seed: 7 }) });
  assert.notDeepEqual(
    a.history.map((h) => h.loss),
    c.history.map((h) => h.loss),
  );
});

test('training leaves no tensor and no kernel memory behind, so memory does not grow across epochs', async () => {
  const before = tf.memory().numTensors;
  const perEpoch: { tensors: number; kernelInUse: number; kernelBytes: number }[] = [];
  const onProgress = (p: { epochDone?: boolean }) =>
    p.epochDone && perEpoch.push({ tensors: tf.memory().numTensors, kernelInUse: kernelBytesInUse(), kernelBytes: kernelMemoryBytes() });
  await train({ train: keywordExamples(120), options: resolveOptions({ ...small, epochs: 3 }), onProgress });
  assert.deepEqual(
    perEpoch.map((e) => [e.tensors, e.kernelInUse]),
    [
      [before, 0],
      [before, 0],
      [before, 0],
    ],
  );
  assert.ok(perEpoch[0].kernelBytes > 0, 'the kernel did the work');
  assert.equal(perEpoch[2].kernelBytes, perEpoch[1].kernelBytes, 'kernel memory stops growing after the first epoch');
  assert.equal(tf.memory().numTensors, before);
});

test('early stopping restores the weights of the best validation epoch', async () => {
  // A rate this high makes validation loss bounce, so the best epoch is rarely the last one.
  const data = keywordExamples(200, 3);
  // The LSTM alone: with a wide path the returned model is the best epoch's LSTM combined with the baseline.
  const options = resolveOptions({ ...small, epochs: 12, learningRate: 0.2, patience: 2, wideNgrams: 0 });
  const result = await train({ train: data, options });
  const best = result.history.find((h) => h.epoch === result.bestEpoch)!;
  assert.ok(result.bestEpoch < result.history.length, 'this seed makes a later epoch worse, so restoring matters');
  assert.ok(
    result.history.every((h) => h.validationLoss! >= best.validationLoss!),
    'bestEpoch has the lowest validation loss',
  );
  // The returned weights reproduce the best epoch's validation loss, not the last epoch's.
  const probs = predictTexts(
    result,
    result.validationExamples.map((e) => e.text),
  );
  const k = result.labels.length;
  const loss =
    -result.validationExamples.reduce((sum, e, i) => sum + Math.log(probs[i * k + result.labels.indexOf(e.label)]), 0) /
    result.validationExamples.length;
  assert.ok(
    Math.abs(loss - best.validationLoss!) < 1e-6,
    `restored loss ${loss}, best ${best.validationLoss}, last ${result.history.at(-1)!.validationLoss}`,
  );
  if (result.stoppedEarly) assert.equal(result.history.length, result.bestEpoch + 2);
});

test('cancel stops within one batch', async () => {
  const signal = { aborted: false };
  let batchesAfterCancel = -1;
  const seen: TrainProgress[] = [];
  await assert.rejects(
    train({
      train: keywordExamples(400),
      options: resolveOptions({ ...small, batchSize: 8 }),
      signal,
      onProgress: (p) => {
        seen.push(p);
        if (batchesAfterCancel >= 0) batchesAfterCancel++;
        if (p.batch === 3 && !signal.aborted) {
          signal.aborted = true;
          batchesAfterCancel = 0;
        }
      },
    }),
    TrainingCancelled,
  );
  assert.equal(batchesAfterCancel, 0);
  assert.equal(seen.at(-1)!.batch, 3);
});

test('save → load gives identical probabilities, and stock tf.loadLayersModel agrees', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'textcat-store-'));
  try {
    const data = keywordExamples(150);
    const result = await train({ train: data, options: resolveOptions({ ...small, bidirectional: true }) });
    const modelDir = path.join(dir, 'model');
    const info = summarizeDataset(
      data,
      {
        path: 'mem.csv',
        format: 'csv',
        columns: { text: 'text', label: 'label', source: 'header', confident: true, available: ['text', 'label'] },
        sha256: 'x',
        warnings: [],
      },
      result.tokenizer,
    );
    await saveModel(modelDir, result, info);
    assert.deepEqual(fs.readdirSync(dir), ['model'], 'no temp folder left behind');
    const texts = ['server crashed again', 'user connected', 'unseen words only', ''];
    const before = predictTexts(result, texts);
    const loaded = await loadModel(modelDir);
    assert.deepEqual(Array.from(predictTexts(loaded, texts)), Array.from(before));
    assert.deepEqual(loaded.labels, result.labels);

    const stock = await loadLayers(modelDir);
    const lines = texts.map((t) => loaded.tokenizer.encodeLine(t));
    const padded = (lists: (Int32Array | readonly number[])[]) => {
      const width = Math.max(1, ...lists.map((s) => s.length));
      return tf.tensor2d(
        lists.map((s) => [...new Array<number>(width - s.length).fill(0), ...s]),
        undefined,
        'int32',
      );
    };
    // The default model has a wide path: a second input with each line's n-gram ids.
    assert.ok(loaded.shape.ngramRows, 'the default model reads n-grams');
    const probs = tf.tidy(() =>
      (stock.predict([padded(lines.map((l) => l.tokens)), padded(lines.map((l) => l.ngrams))]) as tf.Tensor).dataSync(),
    );
    stock.dispose();
    // A line with no known token is all padding: Keras masking then outputs the initial state, as we do.
    const maxDiff = Math.max(...Array.from(before, (v, i) => Math.abs(v - probs[i])));
    assert.ok(maxDiff <= 1e-5, `max abs diff ${maxDiff}`);
    assert.ok(tfl.version_layers);

    const readManifest = () => JSON.parse(fs.readFileSync(path.join(modelDir, 'textcat.json'), 'utf8')) as ModelManifest;
    assert.equal(readManifest().runs.length, 1);
    await saveModel(modelDir, result, info);
    assert.equal(readManifest().runs.length, 2, 'runs accumulate');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a model from a newer format or with damaged files is refused with a clear message', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'textcat-store-'));
  try {
    const csv = path.join(dir, 'data.csv');
    fs.writeFileSync(csv, toCsv(keywordExamples(60)));
    const modelDir = path.join(dir, 'model');
    await trainJob({ dataset: { path: csv }, options: { ...small, epochs: 1 }, modelDir });
    const manifestFile = path.join(modelDir, 'textcat.json');
    const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as ModelManifest;
    fs.writeFileSync(manifestFile, JSON.stringify({ ...manifest, formatVersion: 99 }));
    await assert.rejects(loadModel(modelDir), /newer Textcat/);
    fs.writeFileSync(manifestFile, '{ not json');
    await assert.rejects(loadModel(modelDir), /textcat\.json: is not valid JSON/);
    await assert.rejects(loadModel(path.join(dir, 'nothing')), /nothing: does not exist/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a cancelled or failed training run leaves the previous model untouched', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'textcat-store-'));
  try {
    const csv = path.join(dir, 'data.csv');
    fs.writeFileSync(csv, toCsv(keywordExamples(120)));
    const modelDir = path.join(dir, 'model');
    await trainJob({ dataset: { path: csv }, options: { ...small, epochs: 1 }, modelDir });
    const snapshot = () => fs.readdirSync(modelDir).map((f) => [f, fs.readFileSync(path.join(modelDir, f)).toString('base64')]);
    const original = snapshot();
    const signal = { aborted: false };
    await assert.rejects(
      trainJob({ dataset: { path: csv }, options: small, modelDir, signal, onProgress: () => (signal.aborted = true) }),
      TrainingCancelled,
    );
    fs.writeFileSync(path.join(dir, 'bad.csv'), 'text,label\n"unclosed,x\n');
    await assert.rejects(trainJob({ dataset: { path: path.join(dir, 'bad.csv') }, options: small, modelDir }), /bad\.csv:2/);
    assert.deepEqual(snapshot(), original);
    assert.deepEqual(fs.readdirSync(dir).sort(), ['bad.csv', 'data.csv', 'model']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
