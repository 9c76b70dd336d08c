import { describe, test, before, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend, tf } from '../../src/core/backend';
import { initParams, paramList, type NetworkShape } from '../../src/core/model/params';
import { predictBatch, trainStep, type IdBatch } from '../../src/core/model/network';
import { toLayersModel } from '../../src/core/model/layers';
import { createRng } from '../../src/core/random';
import { useGateKernel } from '../../src/core/model/gateKernel';

before(initBackend);

// Left-padded ids with different lengths, so masking is exercised.
const batch: IdBatch = { ids: Int32Array.from([0, 0, 2, 3, 0, 4, 5, 1, 2, 2, 3, 4]), batchSize: 3, steps: 4 };
const targets = [0, 2, 1];
const weights = [1, 2, 0.5];

// Both gate implementations: the wasm SIMD kernel and the JS loop it replaces.
for (const [bidirectional, kernel] of [[false, true], [true, true], [false, false], [true, false]]) {
  const shape: NetworkShape = { vocabSize: 6, embeddingDim: 3, hiddenUnits: 4, numClasses: 3, bidirectional };
  const variant = `bidirectional=${bidirectional}, ${kernel ? 'wasm kernel' : 'JS gates'}`;
  describe(variant, () => {
    beforeEach(() => useGateKernel(kernel));
    afterEach(() => useGateKernel(true));

    test(`analytic gradients match numeric ones (${variant})`, () => {
      const params = initParams(shape, createRng(7));
      // Larger weights than the init so the gates leave their linear region and errors would show.
      for (const a of paramList(params)) for (let i = 0; i < a.length; i++) a[i] += (((i * 7919) % 13) - 6) / 20;
      const loss = () => trainStep(params, shape, batch, targets, weights, 0, createRng(1)).loss;
      const { gradients } = trainStep(params, shape, batch, targets, weights, 0, createRng(1));
      const embeddingGrad = new Float32Array(params.embedding.length);
      gradients.embeddingRows.forEach((row, r) => embeddingGrad.set(gradients.embedding.subarray(r * 3, r * 3 + 3), row * 3));
      const analytic = [embeddingGrad, ...gradients.directions.flatMap((d) => [d.kernel, d.recurrent, d.bias]), gradients.denseKernel, gradients.denseBias];
      const arrays = paramList(params);
      let checked = 0;
      arrays.forEach((a, which) => {
        for (let i = 0; i < a.length; i += 3) {
          const saved = a[i];
          const h = 1e-2;
          a[i] = saved + h;
          const up = loss();
          a[i] = saved - h;
          const down = loss();
          a[i] = saved;
          const numeric = (up - down) / (2 * h);
          const diff = Math.abs(numeric - analytic[which][i]);
          assert.ok(diff <= 2e-3 + 2e-2 * Math.abs(numeric), `param ${which}[${i}]: numeric ${numeric} analytic ${analytic[which][i]}`);
          checked++;
        }
      });
      assert.ok(checked > 50);
      assert.equal(embeddingGrad.subarray(0, 3).every((v) => v === 0), true, 'padding gets no gradient');
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

test('padding does not change a prediction', () => {
  const shape: NetworkShape = { vocabSize: 6, embeddingDim: 3, hiddenUnits: 4, numClasses: 3, bidirectional: true };
  const params = initParams(shape, createRng(5));
  const short = predictBatch(params, shape, { ids: Int32Array.from([2, 3]), batchSize: 1, steps: 2 });
  const padded = predictBatch(params, shape, { ids: Int32Array.from([0, 0, 0, 2, 3]), batchSize: 1, steps: 5 });
  assert.deepEqual(Array.from(short), Array.from(padded));
});

test('the wasm kernel and the JS gates agree on a batch with padding', () => {
  const shape: NetworkShape = { vocabSize: 6, embeddingDim: 3, hiddenUnits: 8, numClasses: 3, bidirectional: true };
  const params = initParams(shape, createRng(9));
  const viaKernel = predictBatch(params, shape, batch);
  useGateKernel(false);
  const viaJs = predictBatch(params, shape, batch);
  useGateKernel(true);
  const maxDiff = Math.max(...Array.from(viaKernel, (v, i) => Math.abs(v - viaJs[i])));
  assert.ok(maxDiff <= 1e-6, `max abs diff ${maxDiff}`);
});
