// Occlusion explanations on a keyword task: the word that decides the class carries the weight.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../../src/core/backend';
import { explainLine, explainLines } from '../../src/core/analysis/explain';
import { predictLines } from '../../src/core/jobs';
import { resolveOptions } from '../../src/core/options';
import { train } from '../../src/core/training/train';
import { keywordExamples } from './fixtures';

before(initBackend);

const KEYWORDS = new Set([
  'crashed',
  'failed',
  'exception',
  'fatal',
  'started',
  'connected',
  'completed',
  'ready',
  'slow',
  'retrying',
  'deprecated',
  'degraded',
]);

test('the top-weighted token of a line is the keyword that decides its class', async () => {
  // Lines without any keyword get a class of their own: otherwise the model learns one keyword class as
  // its default, and hiding that class's keyword hardly changes its probability (occlusion then says little).
  const noise = keywordExamples(100, 5).map((e, i) => ({
    ...e,
    text:
      e.text
        .split(' ')
        .filter((w) => !KEYWORDS.has(w))
        .join(' ') || 'the',
    label: 'other',
    line: 400 + i,
  }));
  const model = await train({
    train: [...keywordExamples(300), ...noise],
    options: resolveOptions({ epochs: 10, embeddingDim: 8, hiddenUnits: 8, batchSize: 16, patience: 0, learningRate: 0.01 }),
  });
  const cases = [
    { text: 'the server crashed again today', keyword: 'crashed', label: 'error' },
    { text: 'User CONNECTED from this request', keyword: 'connected', label: 'info' },
    { text: 'please now the request is slow', keyword: 'slow', label: 'warn' },
  ];
  const explanations = await explainLines(
    model,
    cases.map((c) => c.text),
  );
  const predicted = await predictLines(
    model,
    cases.map((c) => c.text),
  );
  cases.forEach((c, i) => {
    const e = explanations[i];
    assert.equal(e.label, c.label, c.text);
    assert.equal(e.label, predicted[i].label, 'the explained class is the predicted one');
    assert.deepEqual(
      e.tokens.map((t) => t.token),
      model.tokenizer.tokenize(c.text),
      'tokens as the tokenizer sees them, in order',
    );
    const top = [...e.tokens].sort((a, b) => b.weight - a.weight)[0];
    assert.equal(top.token, c.keyword, `${c.text}: ${JSON.stringify(e.tokens)}`);
    assert.ok(top.weight > 0.3, `occluding the keyword drops the probability a lot: ${top.weight}`);
    assert.ok(
      e.tokens.every((t) => t.weight <= predicted[i].confidence + 1e-6),
      'no drop exceeds the probability itself',
    );
  });
  // One line alone gives the same answer as in a batch of several.
  const alone = await explainLine(model, cases[0].text);
  alone.tokens.forEach((t, i) => assert.ok(Math.abs(t.weight - explanations[0].tokens[i].weight) < 1e-5));
  // Unknown words weigh nothing (they are OOV already), and only maxLength tokens are explained.
  const unknown = await explainLine(model, 'zzyzx crashed');
  assert.equal(unknown.tokens[0].token, 'zzyzx');
  assert.equal(unknown.tokens[0].weight, 0);
  const long = await explainLine({ ...model, tokenizer: model.tokenizer }, Array.from({ length: 100 }, () => 'crashed').join(' '));
  assert.equal(long.tokens.length, model.tokenizer.config.maxLength);
  assert.deepEqual((await explainLine(model, '')).tokens, []);
});
