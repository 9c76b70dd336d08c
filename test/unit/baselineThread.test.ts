// The linear baseline trains in a thread of its own beside the LSTM when a helper script is given (issue 18):
// the same model, baseline and metrics bit for bit as on the training thread, single- and multi-label; a
// cancelled training leaves no thread behind; a failure in the thread rejects with its own message.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import dc from 'node:diagnostics_channel';
import type { Worker } from 'node:worker_threads';
import { initBackend } from '../../src/core/backend';
import { trainBaseline, type BaselineInput } from '../../src/core/baseline';
import { BaselineRun } from '../../src/core/baseline/thread';
import { chooseKernelBuild } from '../../src/core/model/kernel';
import { paramList } from '../../src/core/model/params';
import { resolveOptions, type TrainOptions } from '../../src/core/options';
import { createRng } from '../../src/core/random';
import { train, TrainingCancelled, type TrainResult } from '../../src/core/training/train';
import { TextcatError, type Example } from '../../src/core/types';
import { colorLabelRows, keywordExamples } from './fixtures';

const HELPER_SCRIPT = path.resolve(__dirname, '../../dist/gradient-worker.js');

before(async () => {
  assert.ok(fs.existsSync(HELPER_SCRIPT), 'run npm run build');
  await initBackend();
});

/** Every worker thread this process starts from now on, and whether it has exited. */
const workers: { worker: Worker; exited: boolean }[] = [];
dc.subscribe('worker_threads', (message) => {
  const entry = { worker: (message as { worker: Worker }).worker, exited: false };
  entry.worker.once('exit', () => (entry.exited = true));
  workers.push(entry);
});

/** Threads started while `body` ran. */
async function threadsStartedBy<T>(body: () => Promise<T>): Promise<{ value: T; started: number }> {
  const before = workers.length;
  const value = await body();
  return { value, started: workers.length - before };
}

/** A run's weights as bytes, and everything else it reports but its timings. */
function outcome(result: TrainResult) {
  const { trainSeconds: _t, samplesPerSecond: _s, history, baseline, params, tokenizer: _k, options: _o, ...rest } = result;
  return {
    params: paramList(params).map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64')),
    history: history.map(({ seconds: _e, ...epoch }) => epoch),
    baseline: { ...baseline, trainSeconds: 0 },
    rest,
  };
}

async function bothWays(data: Example[], test: Example[], options: TrainOptions) {
  const here = await threadsStartedBy(() => train({ train: data, test, options }));
  const threaded = await threadsStartedBy(() => train({ train: data, test, options, helperScript: HELPER_SCRIPT }));
  // No script: nothing starts a thread. With one: the gradient helper and the baseline's own.
  assert.equal(here.started, 0);
  assert.equal(threaded.started, 2);
  assert.ok(here.value.baseline.validation, 'the baseline was validated');
  assert.deepEqual(outcome(threaded.value), outcome(here.value));
}

test('single-label: the baseline in its own thread gives the same model, baseline and metrics bit for bit', async () => {
  const options = resolveOptions({ epochs: 2, embeddingDim: 8, hiddenUnits: 8, batchSize: 16, seed: 3, threads: 2 });
  assert.ok(options.wideNgrams > 0, 'the combination reads the baseline');
  await bothWays(keywordExamples(200, 2), keywordExamples(40, 7), options);
});

test('multi-label: the one-vs-rest baseline in its own thread gives the same model, thresholds and metrics bit for bit', async () => {
  const options = resolveOptions({ epochs: 2, embeddingDim: 8, hiddenUnits: 8, learningRate: 0.01, seed: 5, threads: 2 });
  await bothWays(colorLabelRows(300, 4), colorLabelRows(60, 9), options);
});

test('one thread, or no validation split: the baseline stays on the training thread or gives the same either way', async () => {
  const data = keywordExamples(120, 3);
  const one = resolveOptions({ epochs: 1, embeddingDim: 8, hiddenUnits: 8, seed: 1, threads: 1 });
  const { started } = await threadsStartedBy(() => train({ train: data, options: one, helperScript: HELPER_SCRIPT }));
  assert.equal(started, 0, '--threads 1 asks for one thread');
  const whole = resolveOptions({ epochs: 1, embeddingDim: 8, hiddenUnits: 8, seed: 1, threads: 2, validationSplit: 0 });
  const here = await train({ train: data, options: whole });
  const threaded = await train({ train: data, options: whole, helperScript: HELPER_SCRIPT });
  assert.deepEqual(outcome(threaded), outcome(here));
});

test('a cancelled training stops the baseline thread with the LSTM and leaves no thread running', async () => {
  const signal = { aborted: false };
  const options = resolveOptions({ epochs: 5, embeddingDim: 8, hiddenUnits: 8, batchSize: 16, seed: 2, threads: 2 });
  const before = workers.length;
  const training = train({
    train: keywordExamples(3000, 6),
    options,
    signal,
    helperScript: HELPER_SCRIPT,
    onProgress: () => (signal.aborted = true),
  });
  await assert.rejects(training, TrainingCancelled);
  const started = workers.slice(before);
  assert.equal(started.length, 2);
  assert.deepEqual(
    started.map((w) => w.exited),
    [true, true],
  );
});

/** The baseline's input for a small single-label set, as train builds it (n-gram ids made up, rows 50). */
function baselineInput(): BaselineInput {
  const rng = createRng(8);
  const lines = Array.from({ length: 90 }, (_, i) => [1 + (i % 3), ...Array.from({ length: 4 }, () => 4 + Math.floor(rng() * 45))]);
  const indices = lines.map((_, i) => i);
  return {
    lines,
    targets: lines.map((_, i) => i % 3),
    split: { train: indices.filter((i) => i % 5 !== 0), validation: indices.filter((i) => i % 5 === 0) },
    labels: ['a', 'b', 'c'],
    rows: 50,
    seed: 4,
    test: { lines: lines.slice(0, 20), truth: lines.slice(0, 20).map((_, i) => i % 4), labels: ['a', 'b', 'c', 'd'] },
  };
}

test('a baseline run in a thread returns what trainBaseline returns here, arrays and all', async () => {
  const here = await trainBaseline(baselineInput());
  const run = await BaselineRun.prepare(HELPER_SCRIPT, baselineInput());
  try {
    run.start();
    const threaded = await run.result();
    assert.deepEqual(
      { ...threaded, summary: { ...threaded.summary, trainSeconds: 0 } },
      { ...here, summary: { ...here.summary, trainSeconds: 0 } },
    );
    assert.ok(threaded.table instanceof Float32Array && threaded.validationProbabilities instanceof Float32Array);
  } finally {
    await run.dispose();
  }
});

test('a failure in the baseline thread rejects with its own message and class, and aborts the watched signal', async () => {
  // The thread chooses its kernel build from the environment it starts with; this one has none of that name.
  const expected = (() => {
    try {
      chooseKernelBuild('none', () => true);
    } catch (error) {
      return error as Error;
    }
    throw new Error('TEXTCAT_KERNEL=none was accepted');
  })();
  const run = await BaselineRun.prepare(HELPER_SCRIPT, baselineInput());
  const kept = process.env.TEXTCAT_KERNEL;
  try {
    process.env.TEXTCAT_KERNEL = 'none';
    run.start();
    if (kept === undefined) delete process.env.TEXTCAT_KERNEL;
    else process.env.TEXTCAT_KERNEL = kept;
    const signal = run.watch({ aborted: false });
    await assert.rejects(run.result(), (error: Error) => error instanceof TextcatError && error.message === expected.message);
    assert.equal(signal.aborted, true);
  } finally {
    if (kept === undefined) delete process.env.TEXTCAT_KERNEL;
    else process.env.TEXTCAT_KERNEL = kept;
    await run.dispose();
  }
});

test('waiting for the baseline thread, a cancelled signal rejects and the thread stops', async () => {
  const run = await BaselineRun.prepare(HELPER_SCRIPT, baselineInput());
  const before = workers.length;
  run.start();
  const thread = workers[before];
  await assert.rejects(run.result({ aborted: true }), TrainingCancelled);
  assert.equal(thread.exited, false);
  await run.dispose();
  assert.equal(thread.exited, true);
});
