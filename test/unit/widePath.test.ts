// The wide path (the mean of each line's n-gram rows added to the logits): gradients against numeric ones, the
// stock tfjs export with its two inputs against the fast path, padding of either input changing nothing, and the
// stored weight layout (weightShapes / paramsFromList) matching what tfjs writes.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tfl from '@tensorflow/tfjs-layers';
import { initBackend, tf } from '../../src/core/backend';
import { initParams, paramList, paramsFromList, trainableList, type NetworkShape } from '../../src/core/model/params';
import { predictBatch, trainStep, wideStep, type IdBatch } from '../../src/core/model/network';
import { predictSequences } from '../../src/core/model/predict';
import { inputNames, toLayersModel } from '../../src/core/model/layers';
import { weightShapes } from '../../src/core/model/storedLayout';
import { createRng } from '../../src/core/random';
import { checkGradients } from '../shared/gradientCheck';

before(initBackend);

// Left-padded ids of different lengths; n-gram bags with repeats, one empty line.
const batch: IdBatch = {
  ids: Int32Array.from([0, 0, 2, 3, 0, 4, 5, 1, 2, 2, 3, 4]),
  batchSize: 3,
  steps: 4,
  ngrams: { ids: Int32Array.from([1, 3, 3, 6, 2, 5]), offsets: Int32Array.from([0, 4, 4, 6]) },
};
const targets = [0, 2, 1];
const weights = [1, 2, 0.5];

/** Weights larger than the init, so gates leave their linear region and the wide rows matter. */
function perturbed(shape: NetworkShape, seed: number) {
  const params = initParams(shape, createRng(seed));
  for (const a of trainableList(params)) for (let i = 0; i < a.length; i++) a[i] += (((i * 7919) % 13) - 6) / 20;
  params.wide!.table.fill(0, 0, shape.numClasses); // padding row
  return params;
}

for (const bidirectional of [false, true]) {
  const shape: NetworkShape = { vocabSize: 6, embeddingDim: 3, hiddenUnits: 5, numClasses: 3, bidirectional, ngramRows: 7 };
  const variant = `bidirectional=${bidirectional}`;

  test(`with a wide path, analytic gradients match numeric ones (${variant})`, () => {
    const params = perturbed(shape, 7);
    const loss = () => trainStep(params, shape, batch, targets, weights, 0, createRng(1)).loss;
    const { gradients } = trainStep(params, shape, batch, targets, weights, 0, createRng(1));
    const K = shape.numClasses;
    const dense = (rows: Int32Array, grads: Float32Array, width: number, total: number) => {
      const out = new Float32Array(total);
      rows.forEach((row, r) => out.set(grads.subarray(r * width, (r + 1) * width), row * width));
      return out;
    };
    const analytic = [
      dense(gradients.embeddingRows, gradients.embedding, 3, params.embedding.length),
      ...gradients.directions.flatMap((d) => [d.kernel, d.recurrent, d.bias]),
      dense(gradients.wideRows!, gradients.wide!, K, params.wide!.table.length),
      gradients.denseKernel,
      gradients.denseBias,
    ];
    const arrays = trainableList(params);
    const checked = checkGradients(arrays, analytic, loss, (a) => (a === params.wide!.table ? 1 : 3));
    assert.ok(checked > 60);
    // Rows 1, 2, 3, 5 and 6 were used, with row 3 twice in one line; 0 (padding) and 4 were not.
    assert.deepEqual([...gradients.wideRows!].sort(), [1, 2, 3, 5, 6]);
  });

  test(`stock tfjs model with two inputs predicts the fast path's probabilities, whatever the padding (${variant})`, () => {
    const params = perturbed(shape, 3);
    const fast = predictBatch(params, shape, batch);
    const model = toLayersModel(params, shape, 0.2);
    assert.deepEqual(model.inputNames, inputNames(shape));
    const predict = (ngrams: number[][]) =>
      tf.tidy(() => {
        const width = Math.max(...ngrams.map((r) => r.length));
        const padded = ngrams.flatMap((r) => [...new Array<number>(width - r.length).fill(0), ...r]);
        const inputs = [tf.tensor2d(batch.ids, [3, 4], 'int32'), tf.tensor2d(padded, [3, width], 'int32')];
        return (model.predict(inputs) as tf.Tensor).dataSync();
      });
    const rows = [[1, 3, 3, 6], [], [2, 5]];
    const stock = predict(rows);
    const morePadding = predict([...rows.slice(0, 2), [2, 0, 0, 0, 0, 5, 0]]);
    model.dispose();
    const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i])));
    assert.ok(maxDiff(fast, stock) <= 1e-5, `fast vs stock: ${maxDiff(fast, stock)}`);
    assert.ok(maxDiff(stock, morePadding) <= 1e-6, `padding changed a prediction by ${maxDiff(stock, morePadding)}`);
  });
}

test('a line without known n-grams gets no wide contribution, and predictSequences agrees with one batch', () => {
  const shape: NetworkShape = { vocabSize: 6, embeddingDim: 3, hiddenUnits: 4, numClasses: 3, bidirectional: true, ngramRows: 7 };
  const params = perturbed(shape, 5);
  const withRows = predictBatch(params, shape, batch);
  const lines = [
    { tokens: [2, 3], ngrams: [1, 3, 3, 6] },
    { tokens: [4, 5, 1], ngrams: [] },
    { tokens: [2, 2, 3, 4], ngrams: [2, 5] },
  ];
  assert.deepEqual(Array.from(predictSequences(params, shape, lines, 4)), Array.from(withRows));
  const noWide = { ...params, wide: { table: new Float32Array(params.wide!.table.length), mask: params.wide!.mask } };
  const without = predictBatch(noWide, shape, batch);
  assert.deepEqual(Array.from(withRows.subarray(3, 6)), Array.from(without.subarray(3, 6)), 'the empty line ignores the table');
  assert.notDeepEqual(Array.from(withRows.subarray(0, 3)), Array.from(without.subarray(0, 3)));
});

test('the wide path alone (the baseline model) has the gradients of softmax regression on mean n-gram rows', () => {
  const K = 3;
  const params = perturbed({ vocabSize: 6, embeddingDim: 3, hiddenUnits: 4, numClasses: K, bidirectional: false, ngramRows: 7 }, 9);
  const alone = { ...params, embedding: new Float32Array(0), directions: [], denseKernel: new Float32Array(0) };
  const step = wideStep(alone, batch.ngrams!, targets, K);
  const loss = () => wideStep(alone, batch.ngrams!, targets, K).loss;
  const table = alone.wide!.table;
  const analytic = new Float32Array(table.length);
  step.gradients.wideRows!.forEach((row, r) => analytic.set(step.gradients.wide!.subarray(r * K, (r + 1) * K), row * K));
  checkGradients([table, alone.denseBias], [analytic, step.gradients.denseBias], loss, () => 1, { absolute: 1e-3, relative: 1e-2 });
});

test('weightShapes and paramsFromList describe the weights exactly as tfjs saves them', async () => {
  for (const shape of [
    { vocabSize: 9, embeddingDim: 3, hiddenUnits: 4, numClasses: 2, bidirectional: true, ngramRows: 11 },
    { vocabSize: 9, embeddingDim: 3, hiddenUnits: 4, numClasses: 2, bidirectional: false },
  ] as NetworkShape[]) {
    const params = initParams(shape, createRng(2));
    const model = toLayersModel(params, shape, 0);
    let specs: tf.io.WeightsManifestEntry[] = [];
    let data: ArrayBuffer | undefined;
    await model.save(
      tf.io.withSaveHandler((artifacts) => {
        specs = artifacts.weightSpecs!;
        data = artifacts.weightData as ArrayBuffer;
        return Promise.resolve({ modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } });
      }),
    );
    model.dispose();
    assert.deepEqual(
      specs.map((s) => s.shape),
      weightShapes(shape),
    );
    // Reading weights.bin in that order gives back the same weights.
    let offset = 0;
    const arrays = weightShapes(shape).map((dims) => {
      const n = dims.reduce((a, b) => a * b, 1);
      const a = new Float32Array(data!.slice(offset * 4, (offset + n) * 4));
      offset += n;
      return a;
    });
    const back = paramsFromList(arrays, shape);
    assert.deepEqual(paramList(back), paramList(params));
    const reloaded = await tfl.loadLayersModel(
      tf.io.fromMemory({ modelTopology: model.toJSON(null, false) as object, weightSpecs: specs, weightData: data }),
    );
    assert.equal(reloaded.inputs.length, inputNames(shape).length);
    reloaded.dispose();
  }
});

test('the wide path alone with multi-hot targets has the gradients of one logistic regression per class', () => {
  const K = 3;
  const params = perturbed({ vocabSize: 6, embeddingDim: 3, hiddenUnits: 4, numClasses: K, bidirectional: false, ngramRows: 7 }, 9);
  const alone = { ...params, embedding: new Float32Array(0), directions: [], denseKernel: new Float32Array(0) };
  const multiHot = [1, 1, 0, 0, 0, 0, 0, 1, 0];
  const step = wideStep(alone, batch.ngrams!, multiHot, K, true);
  const loss = () => wideStep(alone, batch.ngrams!, multiHot, K, true).loss;
  const table = alone.wide!.table;
  const analytic = new Float32Array(table.length);
  step.gradients.wideRows!.forEach((row, r) => analytic.set(step.gradients.wide!.subarray(r * K, (r + 1) * K), row * K));
  checkGradients([table, alone.denseBias], [analytic, step.gradients.denseBias], loss, () => 1, { absolute: 1e-3, relative: 1e-2 });
  // Each probability is the sigmoid of its own logit: the empty line's are the bias alone.
  const emptyLine = Array.from(step.probabilities.subarray(K, 2 * K));
  assert.deepEqual(
    emptyLine.map((p) => p.toFixed(6)),
    Array.from(alone.denseBias, (b) => (1 / (1 + Math.exp(-b))).toFixed(6)),
  );
});
