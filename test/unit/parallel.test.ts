import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { initBackend } from '../../src/core/backend';
import { GradientPool } from '../../src/core/model/parallel';
import { initParams, type NetworkShape } from '../../src/core/model/params';
import { trainStep } from '../../src/core/model/network';
import { predictSequences, predictTextLines } from '../../src/core/model/predict';
import { NgramVocabulary } from '../../src/core/text/ngrams';
import { Tokenizer } from '../../src/core/text/tokenizer';
import { createRng } from '../../src/core/random';
import { resolveOptions } from '../../src/core/options';
import { train } from '../../src/core/training/train';
import { keywordExamples } from './fixtures';

before(initBackend);

const shape: NetworkShape = { vocabSize: 30, embeddingDim: 8, hiddenUnits: 8, numClasses: 3, bidirectional: true };
const B = 10;
const T = 6;
const rng = createRng(3);
const ids = Int32Array.from({ length: B * T }, (_, i) => (i % T < i % 4 ? 0 : 2 + Math.floor(rng() * 28)));
const targets = Array.from({ length: B }, (_, b) => b % 3);
const weights = Array.from({ length: B }, (_, b) => 1 + (b % 2));

// The helper's bundle, as an entry point passes it to the pool (npm test builds it first).
const HELPER_SCRIPT = path.resolve(__dirname, '../../dist/gradient-worker.js');

test('the helper bundle exists (npm test builds it first)', () => {
  assert.ok(fs.existsSync(HELPER_SCRIPT), 'run npm run build');
});

test('chunks computed in a helper thread give exactly what the same chunks give in this thread', async () => {
  const batch = { ids, batchSize: B, steps: T };
  const threaded = await GradientPool.create(initParams(shape, createRng(1)), shape, 2, HELPER_SCRIPT);
  const local = await GradientPool.create(initParams(shape, createRng(1)), shape, 2);
  try {
    assert.equal(threaded.threads, 2);
    assert.equal(local.threads, 1);
    const a = await threaded.step(batch, targets, weights, 0.3, 99);
    const b = await local.step(batch, targets, weights, 0.3, 99);
    assert.equal(a.loss, b.loss);
    assert.deepEqual(a.probabilities, b.probabilities);
    assert.deepEqual(a.gradients, b.gradients);
  } finally {
    await threaded.dispose();
    await local.dispose();
  }
});

test('a pool reuses its gradient buffers from step to step, and each step gives that step’s gradients', async () => {
  const params = initParams(shape, createRng(6));
  const batches = [0, 1, 2].map((s) => {
    const pick = createRng(20 + s);
    return { ids: Int32Array.from(ids, (id) => (id === 0 ? 0 : 2 + Math.floor(pick() * 28))), batchSize: B, steps: T };
  });
  const close = (x: Float32Array, y: Float32Array, what: string) => {
    assert.equal(x.length, y.length, what);
    x.forEach((v, i) => assert.ok(Math.abs(v - y[i]) < 1e-6, `${what}[${i}]: ${v} vs ${y[i]}`));
  };
  // With a helper (its chunk in its own reused buffers) and without (both chunks here, each in its own).
  for (const script of [HELPER_SCRIPT, undefined]) {
    const pool = await GradientPool.create(params, shape, 2, script);
    try {
      const steps = [];
      for (const [s, batch] of batches.entries()) {
        const step = await pool.step(batch, targets, weights, 0, 40 + s);
        // The reference: one pass over the whole batch, in fresh arrays.
        const whole = trainStep(pool.params, shape, batch, targets, weights, 0, createRng(0));
        whole.gradients.directions.forEach((d, i) => {
          const got = step.gradients.directions[i];
          const what = `${script ? 'helper' : 'no helper'}, step ${s}, direction ${i}`;
          close(got.kernel, d.kernel, `${what} kernel`);
          close(got.recurrent, d.recurrent, `${what} recurrent`);
          close(got.bias, d.bias, `${what} bias`);
        });
        steps.push(step);
      }
      // The same arrays every step (the buffers), so a step's gradients are valid until the next step.
      assert.equal(steps[2].gradients.directions[1].recurrent, steps[0].gradients.directions[1].recurrent);
      assert.ok(steps[0].gradients.directions[0].kernel.buffer instanceof SharedArrayBuffer);
    } finally {
      await pool.dispose();
    }
  }
});

test('summed chunk gradients equal one pass over the whole batch (up to float rounding)', async () => {
  const params = initParams(shape, createRng(2));
  const whole = trainStep(params, shape, { ids, batchSize: B, steps: T }, targets, weights, 0, createRng(0));
  const pool = await GradientPool.create(params, shape, 3);
  try {
    const parts = await pool.step({ ids, batchSize: B, steps: T }, targets, weights, 0, 5);
    assert.ok(Math.abs(parts.loss - whole.loss) < 1e-6);
    const close = (x: Float32Array, y: Float32Array, what: string) =>
      x.forEach((v, i) => assert.ok(Math.abs(v - y[i]) < 1e-6, `${what}[${i}]: ${v} vs ${y[i]}`));
    close(parts.gradients.denseKernel, whole.gradients.denseKernel, 'dense');
    whole.gradients.directions.forEach((d, i) => close(parts.gradients.directions[i].recurrent, d.recurrent, `recurrent${i}`));
    const byRow = (g: typeof whole.gradients) =>
      new Map(Array.from(g.embeddingRows, (row, r) => [row, Array.from(g.embedding.subarray(r * 8, r * 8 + 8))]));
    const expected = byRow(whole.gradients);
    const actual = byRow(parts.gradients);
    assert.deepEqual([...actual.keys()].sort(), [...expected.keys()].sort());
    for (const [row, values] of expected) close(Float32Array.from(actual.get(row)!), Float32Array.from(values), `embedding row ${row}`);
  } finally {
    await pool.dispose();
  }
});

test('training with two threads is repeatable and learns', async () => {
  const options = resolveOptions({
    epochs: 6,
    embeddingDim: 8,
    hiddenUnits: 8,
    batchSize: 16,
    learningRate: 0.01,
    patience: 0,
    threads: 2,
  });
  const data = keywordExamples(240);
  const [a, b] = [
    await train({ train: data, options, helperScript: HELPER_SCRIPT }),
    await train({ train: data, options, helperScript: HELPER_SCRIPT }),
  ];
  assert.deepEqual(
    a.history,
    b.history.map((h, i) => ({ ...h, seconds: a.history[i].seconds })),
  );
  assert.ok(a.validation!.accuracy >= 0.9);
});

test('prediction shared out over the threads gives exactly the single-thread probabilities, in input order', async () => {
  const lines = Array.from({ length: 700 }, (_, i) => ({
    tokens: Array.from({ length: 1 + ((i * 7) % 13) }, (_, t) => 2 + ((i * 31 + t * 17) % 28)),
    ngrams: [],
  }));
  const pool = await GradientPool.create(initParams(shape, createRng(4)), shape, 2, HELPER_SCRIPT);
  try {
    assert.equal(pool.threads, 2);
    const shared = await pool.predict(lines, 10);
    const single = predictSequences(pool.params, shape, lines, 10);
    assert.deepEqual(shared, single);
    // A different line order gives the same rows, moved.
    const reversed = await pool.predict([...lines].reverse(), 10);
    const K = shape.numClasses;
    assert.deepEqual(reversed.subarray(0, K), single.subarray((lines.length - 1) * K, lines.length * K));
  } finally {
    await pool.dispose();
  }
});

/** Log-like lines, all distinct: words, numbers, ids and addresses, some accented or Chinese (the segmenter's path). */
function generatedLines(count: number, seed: number): string[] {
  const pick = createRng(seed);
  const words = ['error', 'timeout', 'user', 'login', 'disk', 'full', 'request', 'ok', "can't", 'café', '服务器', '错误', 'naïve', 'retry'];
  const word = () => words[Math.floor(pick() * words.length)];
  return Array.from({ length: count }, (_, i) => {
    const parts = Array.from({ length: 1 + Math.floor(pick() * 14) }, word);
    parts.splice(
      Math.floor(pick() * parts.length),
      0,
      `id-${i}`,
      `10.0.${i % 256}.${Math.floor(pick() * 256)}`,
      `${(pick() * 1000).toFixed(1)}ms`,
    );
    return parts.join(pick() < 0.5 ? ' ' : ', ');
  });
}

/** A tokenizer with n-grams fitted on `texts`, and random weights whose n-gram rows change the result. */
function wideModel(texts: string[], seed: number) {
  const words = Tokenizer.fit(texts, { maxVocab: 40, maxLength: 12 });
  const tokenizer = words.withNgrams(
    NgramVocabulary.fit(
      texts.map((t) => words.modelTokens(t)),
      300,
    ),
  );
  const wideShape: NetworkShape = { ...shape, vocabSize: tokenizer.vocabSize, ngramRows: tokenizer.ngrams!.rows };
  const params = initParams(wideShape, createRng(seed));
  const noise = createRng(seed + 1);
  params.wide!.table.forEach((_, i, table) => (table[i] = noise() - 0.5));
  return { tokenizer, wideShape, params, noise };
}

test('raw texts tokenized and predicted in the helper threads, streamed, give exactly the single-thread probabilities, in input order, also after new weights are loaded', async () => {
  const texts = generatedLines(3000, 8);
  const { tokenizer, wideShape, params, noise } = wideModel(texts.slice(0, 2000), 5);
  const single = predictTextLines(params, wideShape, tokenizer, texts);
  const pool = await GradientPool.create(params, wideShape, 2, HELPER_SCRIPT, tokenizer);
  try {
    assert.equal(pool.threads, 2, 'a helper thread takes chunks');
    assert.deepEqual(await pool.predictTexts(texts), single, 'one request, shared out');
    // A stream: many requests in flight at once, a helper allowed two chunks waiting.
    const requests = Array.from({ length: 6 }, (_, r) => texts.slice(r * 500, (r + 1) * 500 + 100));
    const streamed = await Promise.all(requests.map((request) => pool.predictTexts(request, 2)));
    const K = wideShape.numClasses;
    requests.forEach((request, r) =>
      assert.deepEqual(streamed[r], single.subarray(r * 500 * K, (r * 500 + request.length) * K), `request ${r}`),
    );
    // textcat predict's stream: two helpers take every chunk (Infinity), this thread computes none.
    const streaming = await GradientPool.create(params, wideShape, 3, HELPER_SCRIPT, tokenizer);
    try {
      const all = await Promise.all(requests.map((request) => streaming.predictTexts(request, Infinity)));
      requests.forEach((request, r) =>
        assert.deepEqual(all[r], single.subarray(r * 500 * K, (r * 500 + request.length) * K), `streamed request ${r}`),
      );
    } finally {
      await streaming.dispose();
    }
    // New weights: every thread drops the projection tables it kept for the old ones.
    const retrained = initParams(wideShape, createRng(7));
    retrained.wide!.table.forEach((_, i, table) => (table[i] = noise() - 0.5));
    pool.load(retrained);
    const after = predictTextLines(retrained, wideShape, tokenizer, texts);
    assert.notDeepEqual(after, single, 'the new weights give other probabilities');
    assert.deepEqual(await pool.predictTexts(texts), after, 'after load, the new weights everywhere');
  } finally {
    await pool.dispose();
  }
});

test('predictTextLines (n-gram ids in one array) gives exactly predictSequences over encodeLine (an array per line), and a line alone (its wide rows gathered, not the whole table read) the same', () => {
  const texts = [...generatedLines(1200, 9), '', '   ', '服务器 错误 错误', 'error '.repeat(40)];
  const { tokenizer, wideShape, params } = wideModel(texts.slice(0, 800), 11);
  const K = wideShape.numClasses;
  // 1,204 lines have many n-grams per table row, so the whole table is read; one line alone has its rows gathered.
  const whole = predictTextLines(params, wideShape, tokenizer, texts);
  const perLine = predictSequences(
    params,
    wideShape,
    texts.map((t) => tokenizer.encodeLine(t)),
    tokenizer.config.maxLength,
  );
  assert.deepEqual(whole, perLine);
  for (const i of [0, 5, 1200, 1203]) {
    assert.deepEqual(predictTextLines(params, wideShape, tokenizer, [texts[i]]), whole.subarray(i * K, (i + 1) * K), `line ${i} alone`);
  }
  // The n-grams count: without the wide table's rows the probabilities differ.
  const withoutWide = { ...params, wide: { ...params.wide!, table: new Float32Array(params.wide!.table.length) } };
  assert.notDeepEqual(predictTextLines(withoutWide, wideShape, tokenizer, texts), whole);
});
