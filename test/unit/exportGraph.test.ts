// The ONNX graph against Textcat's own forward pass (predictSequences) on random weights and random lines of
// every length up to maxLength, in onnxruntime-web (a multi-label graph against the sigmoid of its logits); the
// gate reordering; and what the exporter refuses.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-web';
import { CELL_GATE_ORDER, gateWidth, initParams, ONNX_GATE_ORDER, predictSequences, type NetworkShape } from '../../src/core/model';
import { classifierGraph, onnxGates } from '../../src/core/export/classifierGraph';
import { assertExportable } from '../../src/core/export/exportable';
import { encodeOnnx } from '../../src/core/export/onnxFile';
import { resolveOptions } from '../../src/core/options';
import { createRng } from '../../src/core/random';
import { NgramVocabulary } from '../../src/core/text/ngrams';
import { padLeft, Tokenizer } from '../../src/core/text/tokenizer';
import { TextcatError } from '../../src/core/types';
import type { Classifier } from '../../src/core/predict';
import { sigmoidOfLogits } from '../shared/savedModels';

const MAX_LENGTH = 64;

/** Lines of 0 to MAX_LENGTH + 10 random ids (longer ones are cut to the first MAX_LENGTH, as encode does). */
function randomLines(count: number, vocabSize: number, rng: () => number): number[][] {
  return Array.from({ length: count }, (_, i) => {
    const length = i < 3 ? [0, 1, MAX_LENGTH + 10][i] : Math.floor(rng() * (MAX_LENGTH + 1));
    return Array.from({ length }, () => 1 + Math.floor(rng() * (vocabSize - 1))).slice(0, MAX_LENGTH);
  });
}

/** Each line's n-gram ids padded with 0 to `width` columns, the padding put at the end or (odd rows) the start. */
function ngramInput(ngrams: number[][], width: number): ort.Tensor {
  const ids = new BigInt64Array(ngrams.length * width);
  ngrams.forEach((row, b) => row.forEach((id, i) => (ids[b * width + (b % 2 ? width - row.length : 0) + i] = BigInt(id))));
  return new ort.Tensor('int64', ids, [ngrams.length, width]);
}

async function onnxRun(bytes: Uint8Array, lines: number[][], ngrams?: number[][], width?: number): Promise<Float32Array> {
  const ids = BigInt64Array.from(padLeft(lines, MAX_LENGTH), (id) => BigInt(id));
  const session = await ort.InferenceSession.create(bytes);
  try {
    const feeds: Record<string, ort.Tensor> = { token_ids: new ort.Tensor('int64', ids, [lines.length, MAX_LENGTH]) };
    if (ngrams) feeds.ngram_ids = ngramInput(ngrams, width ?? Math.max(1, ...ngrams.map((n) => n.length)));
    const out = await session.run(feeds);
    return out.probabilities.data as Float32Array;
  } finally {
    await session.release();
  }
}

for (const bidirectional of [true, false]) {
  it(`${bidirectional ? 'bidirectional' : 'unidirectional'}: the graph gives Textcat's probabilities within 1e-5 for lines of 0 to ${MAX_LENGTH} tokens`, async () => {
    const shape: NetworkShape = { vocabSize: 500, embeddingDim: 24, hiddenUnits: 16, numClasses: 5, bidirectional };
    const rng = createRng(bidirectional ? 11 : 12);
    const params = initParams(shape, rng);
    // Larger than initial weights, so the states and the classes really differ from line to line.
    params.embedding.forEach((v, i) => (params.embedding[i] = v * 20));
    params.denseKernel.forEach((v, i) => (params.denseKernel[i] = v * 10));
    params.denseBias.forEach((_, i) => (params.denseBias[i] = 2 * rng() - 1));
    const lines = randomLines(80, shape.vocabSize, rng);
    const expected = predictSequences(
      params,
      shape,
      lines.map((tokens) => ({ tokens, ngrams: [] })),
      MAX_LENGTH,
    );
    const actual = await onnxRun(
      encodeOnnx(classifierGraph(params, shape, MAX_LENGTH), { producerVersion: 'test', doc: '', metadata: {} }),
      lines,
    );
    let spread = 0;
    for (let i = 0; i < expected.length; i++) {
      assert.ok(Math.abs(actual[i] - expected[i]) <= 1e-5, `value ${i} (line ${Math.floor(i / 5)}): ${actual[i]} vs ${expected[i]}`);
      spread = Math.max(spread, expected[i]);
    }
    assert.ok(spread > 0.9, 'the random network should not give near-uniform probabilities');
  });
}

for (const bidirectional of [true, false]) {
  it(`${bidirectional ? 'bidirectional' : 'unidirectional'} with a wide path: the graph gives Textcat's probabilities within 1e-5, n-grams padded anywhere`, async () => {
    const shape: NetworkShape = { vocabSize: 300, embeddingDim: 16, hiddenUnits: 8, numClasses: 4, bidirectional, ngramRows: 200 };
    const rng = createRng(bidirectional ? 21 : 22);
    const params = initParams(shape, rng);
    params.embedding.forEach((v, i) => (params.embedding[i] = v * 20));
    params.denseKernel.forEach((v, i) => (params.denseKernel[i] = v * 5));
    const table = params.wide!.table;
    // Row 0 (padding) is never read: garbage there must not show.
    table.forEach((_, i) => (table[i] = i < shape.numClasses ? 1e3 : 6 * rng() - 3));
    const lines = randomLines(40, shape.vocabSize, rng);
    // Lines without n-grams (one with tokens, one without), one n-gram, repeats, and up to 150.
    const ngrams = lines.map((_, i) => {
      const count = i < 2 ? 0 : i === 2 ? 1 : Math.floor(rng() * 150);
      return Array.from({ length: count }, () => 1 + Math.floor(rng() * (shape.ngramRows! - 1)));
    });
    ngrams[3] = [7, 7, 7, 9];
    const expected = predictSequences(
      params,
      shape,
      lines.map((tokens, i) => ({ tokens, ngrams: ngrams[i] })),
      MAX_LENGTH,
    );
    const bytes = encodeOnnx(classifierGraph(params, shape, MAX_LENGTH), { producerVersion: 'test', doc: '', metadata: {} });
    for (const width of [undefined, 170]) {
      const actual = await onnxRun(bytes, lines, ngrams, width);
      for (let i = 0; i < expected.length; i++) {
        assert.ok(
          Math.abs(actual[i] - expected[i]) <= 1e-5,
          `width ${width}, value ${i} (line ${Math.floor(i / 4)}): ${actual[i]} vs ${expected[i]}`,
        );
      }
    }
    // No line of the batch with an n-gram: a column of padding.
    const none = lines.slice(0, 5).map(() => []);
    const deepOnly = predictSequences(
      params,
      shape,
      lines.slice(0, 5).map((tokens) => ({ tokens, ngrams: [] })),
      MAX_LENGTH,
    );
    const actual = await onnxRun(bytes, lines.slice(0, 5), none);
    deepOnly.forEach((p, i) => assert.ok(Math.abs(actual[i] - p) <= 1e-5, `no n-grams, value ${i}: ${actual[i]} vs ${p}`));
  });
}

for (const wide of [false, true]) {
  it(`multi-label${wide ? ' with a wide path' : ''}: the graph ends in Sigmoid and gives each class's sigmoid of Textcat's logits within 1e-5`, async () => {
    const shape: NetworkShape = { vocabSize: 300, embeddingDim: 16, hiddenUnits: 8, numClasses: 5, bidirectional: true, multiLabel: true };
    if (wide) shape.ngramRows = 120;
    const rng = createRng(wide ? 31 : 32);
    const params = initParams(shape, rng);
    params.embedding.forEach((v, i) => (params.embedding[i] = v * 20));
    params.denseKernel.forEach((v, i) => (params.denseKernel[i] = v * 10));
    params.denseBias.forEach((_, i) => (params.denseBias[i] = 2 * rng() - 1));
    const table = params.wide?.table;
    table?.forEach((_, i) => (table[i] = i < shape.numClasses ? 0 : 6 * rng() - 3));
    const lines = randomLines(40, shape.vocabSize, rng);
    const ngrams = lines.map((_, i) => (wide && i > 0 ? Array.from({ length: i % 9 }, () => 1 + Math.floor(rng() * 119)) : []));
    const expected = sigmoidOfLogits(
      params,
      shape,
      lines.map((tokens, i) => ({ tokens, ngrams: ngrams[i] })),
      MAX_LENGTH,
    ).flat();
    const graph = classifierGraph(params, shape, MAX_LENGTH);
    assert.equal(graph.nodes.find((n) => n.outputs.includes('probabilities'))?.op, 'Sigmoid');
    const actual = await onnxRun(encodeOnnx(graph, { producerVersion: 'test', doc: '', metadata: {} }), lines, wide ? ngrams : undefined);
    expected.forEach((p, i) => assert.ok(Math.abs(actual[i] - p) <= 1e-5, `value ${i} (line ${Math.floor(i / 5)}): ${actual[i]} vs ${p}`));
    // Independent classes: some line has two probabilities over 0.5, which a softmax never gives.
    assert.ok(lines.some((_, r) => expected.slice(r * 5, r * 5 + 5).filter((p) => p > 0.5).length >= 2));
  });
}

it('onnxGates turns Keras gate columns i, f, c, o into ONNX gate rows i, o, f, c', () => {
  // Two input rows, H = 1: row r's four gate columns hold 10r + (1 i, 2 f, 3 c, 4 o).
  const keras = Float32Array.from([1, 2, 3, 4, 11, 12, 13, 14]);
  assert.deepEqual([...onnxGates(keras, 2, 1)], [1, 11, 4, 14, 2, 12, 3, 13]);
  // H = 2, one row (a bias): blocks of two.
  assert.deepEqual([...onnxGates(Float32Array.from([1, 1, 2, 2, 3, 3, 4, 4]), 1, 2)], [1, 1, 4, 4, 2, 2, 3, 3]);
});

it('onnxGates takes the gate layout from cell.ts: each gate section of the cell lands in the ONNX block cell.ts names for it', () => {
  assert.deepEqual(ONNX_GATE_ORDER, ['input', 'output', 'forget', 'candidate'], 'the ONNX LSTM operator: i, o, f, c');
  const H = 3;
  const rows = 2;
  const width = gateWidth(H);
  // Row r, gate section s, unit j of the cell's array holds 100r + 10s + j.
  const cell = Float32Array.from(
    { length: rows * width },
    (_, k) => 100 * Math.floor(k / width) + 10 * Math.floor((k % width) / H) + (k % H),
  );
  const expected: number[] = [];
  for (const name of ONNX_GATE_ORDER) {
    const section = CELL_GATE_ORDER.indexOf(name);
    for (let j = 0; j < H; j++) for (let r = 0; r < rows; r++) expected.push(100 * r + 10 * section + j);
  }
  assert.deepEqual([...onnxGates(cell, rows, H)], expected);
});

describe('what the exporter refuses', () => {
  const model = (): Classifier => {
    const tokenizer = Tokenizer.fit(['a b c']);
    const shape: NetworkShape = { vocabSize: tokenizer.vocabSize, embeddingDim: 4, hiddenUnits: 4, numClasses: 2, bidirectional: true };
    return {
      labels: ['x', 'y'],
      tokenizer,
      shape,
      params: initParams(shape, createRng(1)),
      options: resolveOptions({ bidirectional: true }),
    };
  };
  const refusal = (why: RegExp) => (e: unknown) =>
    e instanceof TextcatError && /^cannot export to ONNX: the model uses /.test(e.message) && why.test(e.message);

  it('exports the network as it is today', () => {
    assert.doesNotThrow(() => assertExportable(model()));
  });

  it('a multi-label model, with one threshold per class', () => {
    const m = model();
    m.shape.multiLabel = true;
    assert.throws(
      () => assertExportable(m),
      (e: unknown) => e instanceof TextcatError && /multi-label model has no threshold for each class/.test(e.message),
    );
    assert.doesNotThrow(() => assertExportable({ ...m, thresholds: [0.4, 0.6] }));
  });

  it('an option it does not know, naming it', () => {
    const m = model();
    (m.options as unknown as Record<string, unknown>).pooling = 'max';
    assert.throws(() => assertExportable(m), refusal(/the option pooling \(= "max"\)/));
  });

  it('a wide n-gram path only when whole: rows in the shape, a table and an n-gram vocabulary of that size', () => {
    const rows = 5;
    const whole = (): Classifier => {
      const m = model();
      m.shape.ngramRows = rows;
      m.params.wide = { table: new Float32Array(rows * m.shape.numClasses), mask: new Float32Array(rows) };
      return { ...m, tokenizer: m.tokenizer.withNgrams(new NgramVocabulary([11, 12, 13, 14])) };
    };
    assert.doesNotThrow(() => assertExportable(whole()));
    const inconsistent = (e: unknown) =>
      e instanceof TextcatError && /^cannot export to ONNX: the model's wide n-gram path is inconsistent/.test(e.message);
    const noVocabulary = whole();
    assert.throws(() => assertExportable({ ...noVocabulary, tokenizer: noVocabulary.tokenizer.withNgrams(undefined) }), inconsistent);
    const noTable = whole();
    delete noTable.params.wide;
    assert.throws(() => assertExportable(noTable), inconsistent);
    const shorter = whole();
    shorter.shape.ngramRows = rows - 1;
    assert.throws(() => assertExportable(shorter), inconsistent);
    const lstmAlone = model();
    lstmAlone.shape.ngramRows = 0;
    assert.doesNotThrow(() => assertExportable(lstmAlone));
  });

  it('a network piece, weights or a tokenizer setting it does not know', () => {
    const withShape = model();
    (withShape.shape as unknown as Record<string, unknown>).wideLinear = true;
    assert.throws(() => assertExportable(withShape), refusal(/a network with "wideLinear"/));
    const withWeights = model();
    (withWeights.params as unknown as Record<string, unknown>).wideKernel = new Float32Array(4);
    assert.throws(() => assertExportable(withWeights), refusal(/weights "wideKernel"/));
    const withTokenizer = model();
    (withTokenizer.tokenizer.config as unknown as Record<string, unknown>).ngrams = 2;
    assert.throws(() => assertExportable(withTokenizer), refusal(/the tokenizer setting ngrams/));
  });
});
