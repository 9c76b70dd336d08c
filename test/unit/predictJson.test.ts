// `textcat predict --json` writes its lines as bytes; they must be what JSON.stringify of the object gave.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OutputBytes } from '../../src/cli/outputBytes';
import { jsonLines, roundedNumber, writeRounded } from '../../src/cli/predictJson';
import { PredictionRows, type Classifier, type Prediction } from '../../src/core/predict';
import type { InputText } from '../../src/cli/predictInput';
import { createRng } from '../../src/core/random';

/** The --json line as predictCommand.ts wrote it before (an object through JSON.stringify). */
function stringified(item: InputText, p: Prediction, labels: readonly string[], named: boolean): string {
  return JSON.stringify({
    ...(named ? { file: item.source } : {}),
    line: item.line,
    ...(item.element ? { record: item.element.index } : {}),
    label: p.label,
    confidence: Number(p.confidence.toFixed(6)),
    probabilities: Object.fromEntries(labels.map((l, k) => [l, Number(p.probabilities[k].toFixed(6))])),
    ...(p.labels
      ? { labels: p.labels.map((l) => ({ label: l, probability: Number(p.probabilities[labels.indexOf(l)].toFixed(6)) })) }
      : {}),
  });
}

test('roundedNumber writes Number(x.toFixed(6)) as JSON does, for float32 probabilities, halves and edges', () => {
  const rng = createRng(5);
  const values = [0, -0, 1, 1e-7, 4.9999e-7, 5e-7, 5.0001e-7, 0.0000015, 0.9999995, 0.99999949, 0.1, 0.5, 2, -0.25, NaN, Infinity];
  for (let micros = 0; micros <= 1e6; micros += 997) values.push((micros + 0.5) / 1e6, micros / 1e6);
  for (let i = 0; i < 200_000; i++) values.push(Math.fround(rng() ** (1 + 8 * rng())));
  for (const x of values) assert.equal(roundedNumber(x), JSON.stringify(Number(x.toFixed(6))), `x = ${x}`);
});

test('writeRounded writes the bytes of roundedNumber', () => {
  const rng = createRng(6);
  const values = [0, -0, 1, 1e-7, 5e-7, 0.0000015, 0.000005, 0.1, 0.5, 0.123456, 0.1234565, 0.9999995, 2, -0.25, NaN, Infinity];
  for (let micros = 0; micros <= 1e6; micros += 101) values.push(micros / 1e6, (micros + 0.5) / 1e6);
  for (let i = 0; i < 100_000; i++) values.push(Math.fround(rng() ** (1 + 8 * rng())));
  const out = new OutputBytes(16);
  for (const x of values) {
    const before = out.view().length;
    writeRounded(out, x);
    assert.equal(Buffer.from(out.view().subarray(before)).toString(), roundedNumber(x), `x = ${x}`);
  }
});

/** A model as PredictionRows reads it: labels, and for a multi-label one its thresholds. */
function modelOf(labels: string[], multiLabel: boolean): Classifier {
  const shape = { multiLabel } as Classifier['shape'];
  return {
    labels,
    shape,
    ...(multiLabel ? { thresholds: labels.map((_, k) => 0.2 + 0.1 * k), atLeastOneLabel: labels.length > 3 } : {}),
  } as Classifier;
}

test('jsonLines writes the JSON.stringify text: named files, records, awkward labels, multi-label lists', () => {
  const rng = createRng(9);
  const labelSets = [
    ['auth', 'database', 'network'],
    ['10', '2', 'b', '__proto__', 'say "hi"\n', '中文', 'naïve'],
    ['x', 'x', 'y'],
  ];
  for (const labels of labelSets)
    for (const multiLabel of [false, true])
      for (const named of [false, true]) {
        const line = jsonLines(labels, named);
        const count = 500;
        const probabilities = Float32Array.from({ length: count * labels.length }, () => rng() ** 3);
        const rows = new PredictionRows(modelOf(labels, multiLabel), probabilities);
        const out = new OutputBytes(64);
        const expected: string[] = [];
        for (let i = 0; i < count; i++) {
          const item: InputText = {
            source: i % 2 ? 'logs/a "b".log' : '-',
            line: i + 1,
            text: 'ignored',
            ...(i % 4 === 1 ? { element: { index: i * 1013, sharedLines: i % 8 === 1 } } : {}),
          };
          line(out, item, rows, i);
          expected.push(`${stringified(item, rows.prediction(i), labels, named)}\n`);
        }
        assert.equal(Buffer.from(out.view()).toString(), expected.join(''));
      }
});

test('PredictionRows gives each line the most probable class (the first of equals) and refuses NaN', () => {
  const rows = new PredictionRows(modelOf(['a', 'b', 'c'], false), Float32Array.from([0.2, 0.4, 0.4, 0.5, 0.3, 0.2, 0.1, NaN, 0.9]));
  assert.equal(rows.length, 3);
  assert.deepEqual([rows.best(0), rows.best(1)], [1, 0]);
  assert.equal(rows.prediction(0).label, 'b');
  assert.throws(() => rows.best(2), /NaN/);
});
