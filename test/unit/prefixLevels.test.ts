// Prediction steps each distinct prefix (and, backwards, each distinct suffix) once: the tries must hold exactly
// the lines' prefixes, and every line must get, to the bit, what a padded batch gives it, whatever lines it
// shares steps with. The projection tables stay in the kernel's resident region from call to call.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as kernel from '../../src/core/model/kernel';
import { initParams, trainableList, type NetworkShape } from '../../src/core/model/params';
import { predictBatch, predictByPrefix, projectionTables, type NgramBatch } from '../../src/core/model/network';
import { ngramBatch, predictSequences, TableStore } from '../../src/core/model/predict';
import { prefixLevels, type PrefixLevel } from '../../src/core/model/prefixLevels';
import { padLeft } from '../../src/core/text/tokenizer';
import { wideTable } from '../../src/core/model/wide';
import { createRng } from '../../src/core/random';

/** Lines built from a few beginnings and endings, as log lines are, with some exact repeats and empty lines. */
function logLikeLines(count: number, vocab: number, seed: number): number[][] {
  const rng = createRng(seed);
  const word = () => 1 + Math.floor(rng() * (vocab - 1));
  const beginnings = Array.from({ length: 5 }, () => Array.from({ length: 1 + Math.floor(rng() * 4) }, word));
  const endings = Array.from({ length: 4 }, () => Array.from({ length: Math.floor(rng() * 3) }, word));
  const lines: number[][] = [];
  for (let i = 0; i < count; i++) {
    if (i % 17 === 5) lines.push([]);
    else if (i % 7 === 3 && lines.length > 0) lines.push([...lines[Math.floor(rng() * lines.length)]]);
    else {
      const middle = Array.from({ length: Math.floor(rng() * 6) }, word);
      lines.push([...beginnings[Math.floor(rng() * 5)], ...middle, ...endings[Math.floor(rng() * 4)]]);
    }
  }
  return lines;
}

/** Rows stepped in all: the kernel's work, against the lines' tokens for stepping every line apart. */
const prefixRows = (levels: readonly PrefixLevel[]) => levels.reduce((rows, level) => rows + level.tokens.length, 0);

/** The prefix a level row stands for, read back through its parents. */
function prefixOf(levels: PrefixLevel[], depth: number, row: number): number[] {
  const tokens: number[] = [];
  for (let d = depth; d >= 0; d--) {
    tokens.unshift(levels[d].tokens[row]);
    row = levels[d].parents[row];
  }
  return tokens;
}

test('prefixLevels holds each distinct prefix once, and each line ends on its own sequence', () => {
  for (const [count, vocab] of [
    [0, 5],
    [1, 5],
    [300, 12],
    [2000, 40],
  ]) {
    const lines = logLikeLines(count, vocab, count);
    const levels = prefixLevels(lines);
    const prefixes = new Set(lines.flatMap((line) => line.map((_, t) => line.slice(0, t + 1).join(','))));
    const seen = new Set<string>();
    const ended = new Set<number>();
    levels.forEach((level, depth) => {
      for (let row = 0; row < level.tokens.length; row++) {
        const prefix = prefixOf(levels, depth, row).join(',');
        assert.ok(prefixes.has(prefix), `row ${row} at depth ${depth} is no line's prefix`);
        assert.ok(!seen.has(prefix), `prefix ${prefix} twice`);
        seen.add(prefix);
      }
      level.endingLines.forEach((line, e) => {
        assert.deepEqual(prefixOf(levels, depth, level.endingRows[e]), lines[line]);
        ended.add(line);
      });
    });
    assert.equal(seen.size, prefixes.size);
    assert.equal(prefixRows(levels), prefixes.size);
    // Every line but the empty ones ends somewhere; the empty ones nowhere (their state stays zero).
    assert.deepEqual(
      [...ended].sort((a, b) => a - b),
      lines.flatMap((line, i) => (line.length > 0 ? [i] : [])),
    );
    if (count > 100) assert.ok(prefixRows(levels) < lines.reduce((n, line) => n + line.length, 0) / 2, 'log-like lines share most steps');
  }
});

/** Weights larger than the init, so gates leave their linear region. */
function perturbed(shape: NetworkShape, seed: number) {
  const params = initParams(shape, createRng(seed));
  for (const a of trainableList(params)) for (let i = 0; i < a.length; i++) a[i] += (((i * 7919) % 13) - 6) / 10;
  if (params.wide) params.wide.table.fill(0, 0, shape.numClasses);
  return params;
}

/** What a padded batch gives each line: batches of up to 5 lines of mixed lengths, each line's rows copied out. */
function batched(
  params: ReturnType<typeof initParams>,
  shape: NetworkShape,
  lines: number[][],
  ngrams?: NgramBatch,
  tables = false,
): Float32Array {
  const K = shape.numClasses;
  const out = new Float32Array(lines.length * K);
  kernel.scoped(() => {
    const projection = tables ? projectionTables(params, shape) : undefined;
    for (let start = 0; start < lines.length; start += 5) {
      const rows = lines.slice(start, start + 5);
      const steps = Math.max(1, ...rows.map((r) => r.length));
      const bags = ngrams && ngramBatch(rows.map((_, b) => ngrams.ids.subarray(ngrams.offsets[start + b], ngrams.offsets[start + b + 1])));
      const probs = predictBatch(params, shape, { ids: padLeft(rows, steps), batchSize: rows.length, steps, ngrams: bags }, projection);
      out.set(probs, start * K);
    }
  });
  return out;
}

for (const [bidirectional, ngramRows, multiLabel] of [
  [false, 0, false],
  [true, 0, false],
  [true, 9, false],
  [true, 9, true],
] as const) {
  test(`predictByPrefix gives every line the bits a padded batch gives it (bi=${bidirectional}, n-gram rows ${ngramRows}, multi-label ${multiLabel})`, () => {
    const shape: NetworkShape = {
      vocabSize: 12,
      embeddingDim: 4,
      hiddenUnits: 6,
      numClasses: 3,
      bidirectional,
      ...(ngramRows ? { ngramRows } : {}),
      ...(multiLabel ? { multiLabel } : {}),
    };
    const params = perturbed(shape, 11);
    // More lines than one group of predictByPrefix holds (4,096), so groups meet somewhere in the middle.
    const lines = logLikeLines(bidirectional ? 5000 : 200, shape.vocabSize, 2);
    const rng = createRng(3);
    const ngrams = ngramRows
      ? ngramBatch(lines.map(() => Array.from({ length: Math.floor(rng() * 5) }, () => 1 + Math.floor(rng() * (ngramRows - 1)))))
      : undefined;
    const expected = Array.from(batched(params, shape, lines, ngrams));
    assert.deepEqual(Array.from(kernel.scoped(() => predictByPrefix(params, shape, { sequences: lines, ngrams }))), expected);
    const viaTables = kernel.scoped(() =>
      predictByPrefix(params, shape, { sequences: lines, ngrams }, projectionTables(params, shape), wideTable(params)),
    );
    assert.deepEqual(Array.from(viaTables), expected);
    assert.deepEqual(Array.from(batched(params, shape, lines, ngrams, true)), expected, 'tables in the padded batches too');
    assert.equal(kernel.kernelBytesInUse(), 0);
  });
}

test('predictSequences cuts lines to maxLength and drops padding ids as a padded batch does', () => {
  const shape: NetworkShape = { vocabSize: 12, embeddingDim: 4, hiddenUnits: 6, numClasses: 3, bidirectional: true };
  const params = perturbed(shape, 5);
  const lines = logLikeLines(60, shape.vocabSize, 4).map((line, i) => (i % 5 === 0 ? [0, ...line, 0, 3] : line));
  const maxLength = 6;
  const kept = lines.map((line) => line.slice(0, maxLength));
  const probs = predictSequences(
    params,
    shape,
    lines.map((tokens) => ({ tokens, ngrams: [] })),
    maxLength,
  );
  const expected = kernel.scoped(() => {
    const K = shape.numClasses;
    const out = new Float32Array(lines.length * K);
    kept.forEach((line, i) =>
      out.set(predictBatch(params, shape, { ids: padLeft([line], maxLength), batchSize: 1, steps: maxLength }), i * K),
    );
    return out;
  });
  assert.deepEqual(Array.from(probs), Array.from(expected));
});

test('the resident region keeps what its owner filled between calls, outside every scope', () => {
  const first = new TableStore();
  const a = kernel.resident(first, 100)!;
  assert.ok(a.fresh);
  kernel.floats(a.span).fill(7);
  a.filled();
  assert.equal(kernel.kernelResidentBytes(), 400);
  kernel.scoped(() => {
    assert.equal(kernel.resident(first, 100), undefined, 'not inside a scope, even one that has allocated nothing');
    kernel.floats(kernel.alloc(1000)).fill(1); // scoped memory lies above the region and does not touch it
    assert.equal(kernel.resident(first, 100), undefined, 'not while something is allocated');
  });
  const again = kernel.resident(first, 100)!;
  assert.ok(!again.fresh);
  assert.ok(kernel.floats(again.span).every((v) => v === 7));
  assert.equal(kernel.kernelBytesInUse(), 0);
  const other = new TableStore();
  assert.ok(kernel.resident(other, 100)!.fresh, 'another owner');
  assert.ok(kernel.resident(other, 100)!.fresh, 'still fresh: its owner never said it was filled (a build that failed)');
  assert.ok(kernel.resident(first, 100)!.fresh, 'the first owner lost it');
  assert.ok(kernel.resident(first, 200)!.fresh, 'another length');
});

test('predictSequences with a TableStore gives the same probabilities on every call, and with a new store for new weights', () => {
  const shape: NetworkShape = { vocabSize: 12, embeddingDim: 4, hiddenUnits: 6, numClasses: 3, bidirectional: true };
  const params = perturbed(shape, 8);
  const lines = logLikeLines(100, shape.vocabSize, 6).map((tokens) => ({ tokens, ngrams: [] }));
  const plain = Array.from(predictSequences(params, shape, lines, 64));
  const store = new TableStore();
  assert.deepEqual(Array.from(predictSequences(params, shape, lines, 64, store)), plain);
  assert.deepEqual(Array.from(predictSequences(params, shape, lines, 64, store)), plain, 'from the kept tables');
  const changed = perturbed(shape, 9);
  const expected = Array.from(predictSequences(changed, shape, lines, 64));
  assert.notDeepEqual(expected, plain);
  assert.deepEqual(Array.from(predictSequences(changed, shape, lines, 64, new TableStore())), expected);
});
