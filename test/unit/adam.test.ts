import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Adam } from '../../src/core/model/adam';
import { cloneParams, initParams, paramList, type NetworkShape } from '../../src/core/model/params';
import { gradientList, type BatchGradients } from '../../src/core/model/network';
import { createRng } from '../../src/core/random';

// Odd sizes so the kernel's one-element tails run too (D = 5, H = 3, K = 3).
const shape: NetworkShape = { vocabSize: 9, embeddingDim: 5, hiddenUnits: 3, numClasses: 3, bidirectional: true };

function gradients(rng: () => number, rows: number[], scale: number): BatchGradients {
  const params = initParams(shape, rng);
  const fill = (a: Float32Array) => a.map(() => (rng() - 0.5) * scale);
  return {
    embeddingRows: Int32Array.from(rows),
    embedding: Float32Array.from({ length: rows.length * shape.embeddingDim }, () => (rng() - 0.5) * scale),
    directions: params.directions.map((d) => ({ kernel: fill(d.kernel), recurrent: fill(d.recurrent), bias: fill(d.bias) })),
    denseKernel: fill(params.denseKernel),
    denseBias: fill(params.denseBias),
  };
}

/** Adam as written in the paper, in doubles, with lazy embedding rows and clipping by global norm. */
function referenceAdam(params: ReturnType<typeof initParams>, steps: BatchGradients[], lr: number, clipNorm: number) {
  const [b1, b2, epsilon] = [0.9, 0.999, 1e-7];
  const list = paramList(params);
  const m = list.map((a) => new Float64Array(a.length));
  const v = list.map((a) => new Float64Array(a.length));
  steps.forEach((g, s) => {
    const t = s + 1;
    const grads = gradientList(g);
    const norm = Math.sqrt(grads.reduce((sum, a) => sum + a.reduce((x, y) => x + y * y, 0), 0));
    const scale = norm > clipNorm ? clipNorm / norm : 1;
    const D = shape.embeddingDim;
    const touch = (i: number, k: number, grad: number) => {
      m[i][k] = b1 * m[i][k] + (1 - b1) * grad;
      v[i][k] = b2 * v[i][k] + (1 - b2) * grad * grad;
      const mHat = m[i][k] / (1 - b1 ** t);
      const vHat = v[i][k] / (1 - b2 ** t);
      list[i][k] -= (lr * mHat) / (Math.sqrt(vHat) + epsilon);
    };
    g.embeddingRows.forEach((row, r) => {
      for (let d = 0; d < D; d++) touch(0, row * D + d, g.embedding[r * D + d] * scale);
    });
    for (let i = 1; i < list.length; i++) for (let k = 0; k < list[i].length; k++) touch(i, k, grads[i][k] * scale);
  });
}

test('Adam in the kernel matches the textbook update, touches only the batch rows of the embedding, and clips', () => {
  const rng = createRng(11);
  const params = initParams(shape, rng);
  const expected = cloneParams(params);
  // Step 2 has a large gradient, so clipping applies; rows 0 and 8 are never used.
  const steps = [gradients(rng, [3, 1, 7], 0.5), gradients(rng, [7, 2], 50), gradients(rng, [5, 3, 6, 4], 1)];
  const adam = new Adam(params, { learningRate: 0.01, clipNorm: 1 });
  for (const g of steps) adam.apply(params, g);
  referenceAdam(expected, steps, 0.01, 1);
  const got = paramList(params);
  paramList(expected).forEach((want, i) =>
    want.forEach((w, k) => assert.ok(Math.abs(got[i][k] - w) <= 2e-6, `array ${i}[${k}]: ${got[i][k]} vs ${w}`)),
  );
  const untouched = initParams(shape, createRng(11)).embedding;
  for (const row of [0, 8]) for (let d = 0; d < 5; d++) assert.equal(params.embedding[row * 5 + d], untouched[row * 5 + d]);
  assert.notEqual(params.embedding[3 * 5], untouched[3 * 5]);
});
