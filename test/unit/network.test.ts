import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend, tf } from '../../src/core/backend';
import { initParams, paramList, trainableList, type NetworkShape } from '../../src/core/model/params';
import { predictBatch, projectionTables, trainStep, type IdBatch } from '../../src/core/model/network';
import { transpose } from '../../src/core/model/lstm';
import { toLayersModel } from '../../src/core/model/layers';
import { createRng } from '../../src/core/random';
import { checkGradients } from '../shared/gradientCheck';
import * as kernel from '../../src/core/model/kernel';

before(initBackend);

// Left-padded ids with different lengths, so masking is exercised.
const batch: IdBatch = { ids: Int32Array.from([0, 0, 2, 3, 0, 4, 5, 1, 2, 2, 3, 4]), batchSize: 3, steps: 4 };
const targets = [0, 2, 1];
const weights = [1, 2, 0.5];

// H = 4 takes the kernel's 4-unit SIMD path, H = 5 its one-unit tail too; D = 3 and K = 3 the narrow product tails.
for (const [bidirectional, hiddenUnits] of [
  [false, 4],
  [true, 4],
  [false, 5],
  [true, 5],
] as const) {
  const shape: NetworkShape = { vocabSize: 6, embeddingDim: 3, hiddenUnits, numClasses: 3, bidirectional };
  const variant = `bidirectional=${bidirectional}, hidden ${hiddenUnits}`;
  describe(variant, () => {
    test(`analytic gradients match numeric ones (${variant})`, () => {
      const params = initParams(shape, createRng(7));
      // Larger weights than the init so the gates leave their linear region and errors would show.
      for (const a of paramList(params)) for (let i = 0; i < a.length; i++) a[i] += (((i * 7919) % 13) - 6) / 20;
      const loss = () => trainStep(params, shape, batch, targets, weights, 0, createRng(1)).loss;
      const { gradients } = trainStep(params, shape, batch, targets, weights, 0, createRng(1));
      const embeddingGrad = new Float32Array(params.embedding.length);
      gradients.embeddingRows.forEach((row, r) => embeddingGrad.set(gradients.embedding.subarray(r * 3, r * 3 + 3), row * 3));
      const analytic = [
        embeddingGrad,
        ...gradients.directions.flatMap((d) => [d.kernel, d.recurrent, d.bias]),
        gradients.denseKernel,
        gradients.denseBias,
      ];
      const arrays = paramList(params);
      const checked = checkGradients(arrays, analytic, loss);
      assert.ok(checked > 50);
      assert.equal(
        embeddingGrad.subarray(0, 3).every((v) => v === 0),
        true,
        'padding gets no gradient',
      );
    });

    test(`stock tfjs layers model predicts the same probabilities (${variant})`, () => {
      const params = initParams(shape, createRng(3));
      for (const a of paramList(params)) for (let i = 0; i < a.length; i++) a[i] += (((i * 31) % 11) - 5) / 10;
      const fast = predictBatch(params, shape, batch);
      const model = toLayersModel(params, shape, 0.2);
      const stock = tf.tidy(() => (model.predict(tf.tensor2d(batch.ids, [3, 4], 'int32')) as tf.Tensor).dataSync());
      model.dispose();
      const maxDiff = Math.max(...Array.from(fast, (v, i) => Math.abs(v - stock[i])));
      assert.ok(maxDiff <= 1e-5, `max abs diff ${maxDiff}`);
    });
  });
}

// Multi-label: one sigmoid per class with binary cross-entropy on multi-hot rows (a row with two labels, one with
// none, one with one), against numeric gradients of that loss, with and without a wide path.
const multiHot = [1, 0, 1, 0, 0, 0, 0, 1, 0];
for (const [bidirectional, ngramRows] of [
  [false, 0],
  [true, 0],
  [true, 7],
] as const) {
  const shape: NetworkShape = { vocabSize: 6, embeddingDim: 3, hiddenUnits: 5, numClasses: 3, bidirectional, ngramRows, multiLabel: true };
  const variant = `multi-label, bidirectional=${bidirectional}, wide rows ${ngramRows}`;
  test(`analytic gradients of sigmoid outputs with binary cross-entropy match numeric ones (${variant})`, () => {
    const params = initParams(shape, createRng(7));
    for (const a of trainableList(params)) for (let i = 0; i < a.length; i++) a[i] += (((i * 7919) % 13) - 6) / 20;
    if (params.wide) params.wide.table.fill(0, 0, 3); // padding row
    const ngrams = { ids: Int32Array.from([1, 3, 3, 6, 2, 5]), offsets: Int32Array.from([0, 4, 4, 6]) };
    const withNgrams = { ...batch, ...(params.wide ? { ngrams } : {}) };
    const run = () => trainStep(params, shape, withNgrams, multiHot, weights, 0, createRng(1));
    const { gradients, loss, probabilities } = run();
    const rowsToDense = (rows: Int32Array, grads: Float32Array, width: number, total: number) => {
      const out = new Float32Array(total);
      rows.forEach((row, r) => out.set(grads.subarray(r * width, (r + 1) * width), row * width));
      return out;
    };
    const analytic = [
      rowsToDense(gradients.embeddingRows, gradients.embedding, 3, params.embedding.length),
      ...gradients.directions.flatMap((d) => [d.kernel, d.recurrent, d.bias]),
      ...(params.wide ? [rowsToDense(gradients.wideRows!, gradients.wide!, 3, params.wide.table.length)] : []),
      gradients.denseKernel,
      gradients.denseBias,
    ];
    assert.ok(checkGradients(trainableList(params), analytic, () => run().loss) > 50);
    // The loss is binary cross-entropy summed over classes, weighted per row, over the batch.
    let expected = 0;
    for (let i = 0; i < multiHot.length; i++) {
      const p = probabilities[i];
      expected -= (weights[Math.floor(i / 3)] / 3) * (multiHot[i] ? Math.log(p) : Math.log(1 - p));
    }
    assert.ok(Math.abs(loss - expected) < 1e-5, `loss ${loss}, expected ${expected}`);
    // Independent sigmoids: rows do not sum to 1, and each equals predictBatch's.
    const rowSums = [0, 1, 2].map((b) => probabilities[b * 3] + probabilities[b * 3 + 1] + probabilities[b * 3 + 2]);
    assert.ok(
      rowSums.some((sum) => Math.abs(sum - 1) > 0.05),
      `row sums ${rowSums.join(', ')}`,
    );
    const predicted = predictBatch(params, shape, withNgrams);
    assert.ok(Array.from(predicted).every((p, i) => Math.abs(p - probabilities[i]) < 1e-6));
  });
}

test('padding does not change a prediction', () => {
  const shape: NetworkShape = { vocabSize: 6, embeddingDim: 3, hiddenUnits: 4, numClasses: 3, bidirectional: true };
  const params = initParams(shape, createRng(5));
  const short = predictBatch(params, shape, { ids: Int32Array.from([2, 3]), batchSize: 1, steps: 2 });
  const padded = predictBatch(params, shape, { ids: Int32Array.from([0, 0, 0, 2, 3]), batchSize: 1, steps: 5 });
  assert.deepEqual(Array.from(short), Array.from(padded));
});

test('projecting through a vocabulary table gives exactly the direct projection', () => {
  const shape: NetworkShape = { vocabSize: 6, embeddingDim: 3, hiddenUnits: 8, numClasses: 3, bidirectional: true };
  const params = initParams(shape, createRng(9));
  const direct = predictBatch(params, shape, batch);
  const viaTable = kernel.scoped(() => predictBatch(params, shape, batch, projectionTables(params, shape)));
  assert.deepEqual(Array.from(viaTable), Array.from(direct));
});

test('kernel matrix product matches a plain loop on every tile shape, transposed, accumulated and with bias', () => {
  const rng = createRng(4);
  for (const [M, K, N] of [
    [1, 1, 1],
    [2, 3, 16],
    [3, 5, 17],
    [5, 64, 36],
    [7, 2, 33],
    [4, 0, 8],
    [3, 300, 20],
  ]) {
    const a = Float32Array.from({ length: M * K }, () => rng() - 0.5);
    const b = Float32Array.from({ length: K * N }, () => rng() - 0.5);
    const bias = Float32Array.from({ length: N }, () => rng() - 0.5);
    const start = Float32Array.from({ length: M * N }, () => rng() - 0.5);
    const expected = (init: (i: number, j: number) => number) =>
      Array.from({ length: M * N }, (_, x) => {
        const [i, j] = [Math.floor(x / N), x % N];
        let sum = init(i, j);
        for (let kk = 0; kk < K; kk++) sum += a[i * K + kk] * b[kk * N + j];
        return sum;
      });
    const close = (got: Float32Array, want: number[], what: string) =>
      want.forEach((w, x) => assert.ok(Math.abs(got[x] - w) <= 1e-5, `${what} [${M},${K}]x[${K},${N}] at ${x}: ${got[x]} vs ${w}`));
    kernel.scoped(() => {
      const out = kernel.upload(start);
      kernel.product(out, kernel.upload(a), M, K, kernel.upload(b), N);
      close(
        kernel.floats(out),
        expected(() => 0),
        'plain',
      );
      kernel.product(out, kernel.upload(transpose(a, M, K)), M, K, kernel.upload(b), N, { transposeA: true, bias: kernel.upload(bias) });
      close(
        kernel.floats(out),
        expected((_, j) => bias[j]),
        'transposed A with bias',
      );
      const acc = kernel.upload(start);
      kernel.product(acc, kernel.upload(a), M, K, kernel.upload(b), N, { accumulate: true });
      close(
        kernel.floats(acc),
        expected((i, j) => start[i * N + j]),
        'accumulated',
      );
      const sums = kernel.zeros(N);
      kernel.columnSums(sums, kernel.upload(b), K, N);
      close(
        kernel.floats(sums),
        Array.from({ length: N }, (_, j) => Array.from({ length: K }, (_, kk) => b[kk * N + j]).reduce((x, y) => x + y, 0)),
        'column sums',
      );
    });
  }
});

test('a batch too large for WebAssembly memory is refused with a message naming the options to lower', () => {
  // 1,024 lines × 1,100 steps × 4 · 256 units of gate values alone: 4.6 GB.
  const shape: NetworkShape = { vocabSize: 6, embeddingDim: 3, hiddenUnits: 256, numClasses: 3, bidirectional: false };
  const params = initParams(shape, createRng(1));
  const [B, steps] = [1024, 1100];
  const huge: IdBatch = { ids: new Int32Array(B * steps).fill(2), batchSize: B, steps };
  assert.throws(
    () => trainStep(params, shape, huge, new Array(B).fill(0), new Array(B).fill(1), 0, createRng(1)),
    /working memory.*lower batchSize, maxLength or hiddenUnits/,
  );
  assert.equal(kernel.kernelBytesInUse(), 0, 'nothing stays allocated');
  // Ordinary work still runs afterwards.
  assert.equal(predictBatch(initParams({ ...shape, hiddenUnits: 4 }, createRng(1)), { ...shape, hiddenUnits: 4 }, batch).length, 9);
});
