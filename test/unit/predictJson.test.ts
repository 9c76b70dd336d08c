// `textcat predict --json` builds its lines as text; they must be what JSON.stringify of the object gave.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jsonLines, roundedNumber } from '../../src/cli/predictJson';
import type { Prediction } from '../../src/core/jobs';
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

test('jsonLines gives the JSON.stringify text: named files, records, awkward labels, multi-label lists', () => {
  const rng = createRng(9);
  const labelSets = [
    ['auth', 'database', 'network'],
    ['10', '2', 'b', '__proto__', 'say "hi"\n', '中文', 'naïve'],
    ['x', 'x', 'y'],
  ];
  for (const labels of labelSets)
    for (const named of [false, true]) {
      const line = jsonLines(labels, named);
      for (let i = 0; i < 500; i++) {
        const probabilities = labels.map(() => Math.fround(rng() ** 3));
        const top = probabilities.indexOf(Math.max(...probabilities));
        const given = i % 3 === 0 ? labels.filter((_, k) => probabilities[k] > 0.3) : undefined;
        const p: Prediction = { label: labels[top], confidence: probabilities[top], probabilities, ...(given ? { labels: given } : {}) };
        const item: InputText = {
          source: i % 2 ? 'logs/a "b".log' : '-',
          line: i + 1,
          text: 'ignored',
          ...(i % 4 === 1 ? { element: { index: i, sharedLines: i % 8 === 1 } } : {}),
        };
        assert.equal(line(item, p), stringified(item, p, labels, named));
      }
    }
});
