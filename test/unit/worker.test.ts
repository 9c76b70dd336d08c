import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CancelledError } from '../../src/core/types';
import { WorkerClient, WorkerError } from '../../src/worker/client';
import type { TrainProgress } from '../../src/protocol';
import { keywordExamples, toCsv } from './fixtures';

// The bundle the extension starts (npm test builds before the unit tests run).
const workerScript = path.resolve(__dirname, '../../dist/worker.js');
assert.ok(fs.existsSync(workerScript), `${workerScript} is missing: run npm run build first`);
const client = new WorkerClient(workerScript);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'textcat-worker-'));
after(async () => {
  await client.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

const csv = path.join(dir, 'data.csv');
fs.writeFileSync(csv, toCsv(keywordExamples(240)));
const modelDir = path.join(dir, 'model');
const options = { epochs: 6, embeddingDim: 8, hiddenUnits: 8, batchSize: 16, learningRate: 0.01, patience: 0 };

test('train, predict and evaluate through the worker', async () => {
  const progress: TrainProgress[] = [];
  let datasetRows = 0;
  const handle = client.train({ path: csv }, modelDir, options, {
    onProgress: (p) => progress.push(p),
    onDataset: (d) => (datasetRows = d.rows),
  });
  const manifest = await handle.done;
  assert.equal(datasetRows, 240);
  assert.deepEqual(manifest.labels, ['error', 'info', 'warn']);
  assert.ok(progress.some((p) => p.epochDone && p.validationAccuracy !== undefined));
  assert.ok(progress.every((p) => p.samplesPerSecond > 0 && Number.isFinite(p.etaSeconds)));
  assert.ok(fs.existsSync(path.join(modelDir, 'weights.bin')));

  const { labels, predictions } = await client.predict(modelDir, ['the server crashed', 'user connected now']);
  assert.deepEqual(labels, manifest.labels);
  assert.equal(predictions[0].label, 'error');
  assert.equal(predictions[1].label, 'info');
  for (const p of predictions) assert.ok(Math.abs(p.probabilities.reduce((a, b) => a + b) - 1) < 1e-5);

  // A large request is shared out over the model's threads in the worker: same answers as a small one.
  const many = Array.from({ length: 600 }, (_, i) => ['the server crashed', 'user connected now', 'request is slow today'][i % 3]);
  const shared = await client.predict(modelDir, many);
  assert.deepEqual(shared.predictions.slice(0, 2), predictions);

  const evaluated = await client.evaluate(modelDir, { path: csv });
  assert.ok(evaluated.metrics.accuracy > 0.9);
  assert.equal(evaluated.dataset.rows, 240);
});

test('cancel through the worker rejects with CancelledError', async () => {
  const handle = client.train({ path: csv }, path.join(dir, 'other'), { ...options, epochs: 50 }, { onProgress: () => handle.cancel() });
  await assert.rejects(handle.done, CancelledError);
  assert.equal(fs.existsSync(path.join(dir, 'other')), false);
});

test('bad data comes back as a user error naming the file and line', async () => {
  const bad = path.join(dir, 'bad.csv');
  fs.writeFileSync(bad, 'text,label\nfine,a\ntoo,many,fields\n');
  await assert.rejects(client.train({ path: bad }, modelDir, options).done, (e: unknown) => {
    assert.ok(e instanceof WorkerError && e.userError);
    assert.match(e.message, /bad\.csv:3/);
    assert.deepEqual([e.file, e.line], [bad, 3], 'where the problem is, for an Open action');
    return true;
  });
  await assert.rejects(client.predict(path.join(dir, 'missing'), ['x']), /missing: does not exist/);
});

test('an unsure column guess is answered with the dataset read, and nothing is trained', async () => {
  const alike = path.join(dir, 'alike.csv');
  fs.writeFileSync(alike, 'p,q\nx,y\ny,x\nx,x\ny,y\n');
  const target = path.join(dir, 'unsure-model');
  const result = await client.trainOrAskColumns({ path: alike }, target, options).done;
  assert.equal(result.kind, 'columnsUnsure');
  assert.ok(result.kind === 'columnsUnsure' && !result.dataset.columns.confident);
  assert.deepEqual(result.dataset.columns.available, ['p', 'q']);
  assert.equal(fs.existsSync(target), false);
  // Named columns are not a guess: the same file trains.
  const named = await client.trainOrAskColumns({ path: csv, textColumn: 'text', labelColumn: 'label' }, target, options).done;
  assert.equal(named.kind, 'trained');
});

test('a cancelled token rejects a prediction or an explanation with CancelledError at once', async () => {
  const cancelled = { isCancellationRequested: true, onCancellationRequested: () => ({ dispose: () => undefined }) };
  await assert.rejects(client.predict(modelDir, ['the server crashed'], cancelled), CancelledError);
  await assert.rejects(client.explain(modelDir, ['the server crashed'], cancelled), CancelledError);
  // Cancelling while the request is on its way: the listener fires, the promise rejects, the worker goes on serving.
  let fire: () => unknown = () => undefined;
  let disposed = 0;
  const later = {
    isCancellationRequested: false,
    onCancellationRequested: (l: () => unknown) => ((fire = l), { dispose: () => disposed++ }),
  };
  const pending = client.predict(modelDir, ['the server crashed'], later);
  fire();
  await assert.rejects(pending, CancelledError);
  assert.equal(disposed, 1, 'the cancellation listener is removed once the request settles');
  assert.equal((await client.predict(modelDir, ['the server crashed'])).predictions[0].label, 'error');
});

test('dispose rejects what is pending with CancelledError, and any later request', async () => {
  const own = new WorkerClient(workerScript);
  const pending = assert.rejects(own.predict(modelDir, ['the server crashed']), CancelledError);
  await own.dispose();
  await pending;
  await assert.rejects(own.predict(modelDir, ['x']), CancelledError);
});
test('export through the worker writes the ONNX file and its tokenizer; a foreign file at the destination is refused', async () => {
  const out = path.join(dir, 'exported.onnx');
  const result = await client.exportOnnx(modelDir, out);
  assert.equal(result.files.onnx, out);
  assert.deepEqual(result.labels, ['error', 'info', 'warn']);
  assert.equal(fs.statSync(out).size, result.onnxBytes);
  // The default options give the wide n-gram path: exported with its n-gram vocabulary.
  const tokenizer = JSON.parse(fs.readFileSync(path.join(dir, 'exported.tokenizer.json'), 'utf8')) as { ngrams?: { hashes: number[] } };
  assert.ok((tokenizer.ngrams?.hashes.length ?? 0) > 0);
  const foreign = path.join(dir, 'notes.onnx');
  fs.writeFileSync(foreign, 'mine');
  await assert.rejects(
    client.exportOnnx(modelDir, foreign),
    (e: unknown) => e instanceof WorkerError && e.userError && /not a Textcat export/.test(e.message),
  );
  assert.equal(fs.readFileSync(foreign, 'utf8'), 'mine');
});

test('the multi-label options of a dataset request reach the reader through the worker', async () => {
  const data = path.join(dir, 'emotions.csv');
  const rows = ['sunny warm day,joy;weather', 'rain again today,weather', 'what a goal,sport;joy', 'boring match,sport'];
  const body = Array.from({ length: 10 }, (_, i) => rows.map((row) => row.replace(',', ` ${i},`))).flat();
  fs.writeFileSync(data, `text,labels\n${body.join('\n')}\n`);
  let loaded: { multiLabel?: boolean; labelSeparator?: string } | undefined;
  const handle = client.train(
    { path: data, labelSeparator: ';' },
    path.join(dir, 'multi'),
    { ...options, epochs: 1 },
    {
      onDataset: (d) => (loaded = d),
    },
  );
  const manifest = await handle.done;
  assert.deepEqual([loaded?.multiLabel, loaded?.labelSeparator], [true, ';'], 'split on the separator the request named');
  assert.deepEqual([manifest.dataset.multiLabel, manifest.dataset.labelSeparator], [true, ';']);
  assert.deepEqual(manifest.dataset.classCounts, { joy: 20, weather: 20, sport: 20 });
  const single = client.train({ path: data, multiLabel: false }, path.join(dir, 'single'), { ...options, epochs: 1 });
  const forced = await single.done;
  assert.ok(!('multiLabel' in forced.dataset), 'multiLabel: false reached the reader');
  assert.equal(Object.keys(forced.dataset.classCounts).length, 4);
});
