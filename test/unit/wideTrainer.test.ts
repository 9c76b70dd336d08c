// WideTrainer (the linear baseline's trainer, its table in kernel memory) must compute what wideStep and Adam.apply
// compute on a wide-only NetworkParams, bit for bit: saved models and the README's baseline figures depend on it.
// Compared step by step on random n-gram batches (repeated ids, lines without n-grams, batches without any), for
// softmax and one-vs-rest, on the kernel build this runtime picks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Adam, WideTrainer, wideMask, widePredict, wideStep, ngramBatch, type NetworkParams } from '../../src/core/model';
import { createRng } from '../../src/core/random';

function randomLines(rng: () => number, count: number, rows: number, withEmpty: boolean): Int32Array[] {
  return Array.from({ length: count }, () => {
    const length = withEmpty && rng() < 0.15 ? 0 : 1 + Math.floor(rng() * 40);
    // Ids from 1 (0 is the table's padding row), skewed so that lines share rows and repeat them.
    return Int32Array.from({ length }, () => 1 + Math.floor(rng() ** 2 * (rows - 1)));
  });
}

function bitsEqual(got: Float32Array, want: Float32Array, what: string): void {
  assert.equal(got.length, want.length, `${what}: length`);
  const [a, b] = [new Uint32Array(got.buffer, got.byteOffset, got.length), new Uint32Array(want.buffer, want.byteOffset, want.length)];
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) assert.fail(`${what}: element ${i} is ${got[i]}, wideStep + Adam gave ${want[i]}`);
}

for (const multiLabel of [false, true]) {
  test(`WideTrainer takes the same steps as wideStep + Adam.apply, bit for bit (${multiLabel ? 'one-vs-rest' : 'softmax'})`, () => {
    const rng = createRng(multiLabel ? 11 : 7);
    const [rows, K, B] = [301, multiLabel ? 6 : 5, 32];
    const learningRate = multiLabel ? 0.05 : 0.3;
    const params: NetworkParams = {
      embedding: new Float32Array(0),
      directions: [],
      denseKernel: new Float32Array(0),
      denseBias: new Float32Array(K),
      wide: { table: new Float32Array(rows * K), mask: wideMask(rows) },
    };
    const adam = new Adam(params, { learningRate, clipNorm: Infinity });
    const trainer = new WideTrainer(rows, K, { learningRate, multiLabel });
    const validation = randomLines(rng, 50, rows, true);
    for (let step = 0; step < 60; step++) {
      // Every tenth batch has lines without n-grams only; a few are short.
      const size = step % 7 === 3 ? 5 : B;
      const lines = step % 10 === 9 ? randomLines(rng, size, rows, true).map(() => new Int32Array(0)) : randomLines(rng, size, rows, true);
      const targets = multiLabel
        ? Array.from({ length: size * K }, () => (rng() < 0.3 ? 1 : 0))
        : Array.from({ length: size }, () => Math.floor(rng() * K));
      const want = wideStep(params, ngramBatch(lines), targets, K, multiLabel);
      adam.apply(params, want.gradients);
      // Plain number arrays too (the training thread's lines), on odd steps.
      const given = step % 2 ? lines.map((l) => Array.from(l)) : lines;
      const loss = trainer.train(given, targets);
      assert.equal(loss, want.loss, `step ${step}: loss`);
      const { table, bias } = trainer.weights();
      bitsEqual(table, params.wide!.table, `step ${step}: table`);
      bitsEqual(bias, params.denseBias, `step ${step}: bias`);
    }
    bitsEqual(trainer.predict(validation), widePredict(params, ngramBatch(validation), K, multiLabel), 'predictions');
    // restore puts back what weights gave.
    const saved = trainer.weights();
    trainer.train(validation.slice(0, B), multiLabel ? new Array(B * K).fill(1) : new Array(B).fill(0));
    assert.notDeepEqual(trainer.weights().table, saved.table);
    trainer.restore(saved);
    bitsEqual(trainer.weights().table, saved.table, 'restored table');
    bitsEqual(trainer.weights().bias, saved.bias, 'restored bias');
    // keepBest / restoreBest: the last kept weights come back, not an earlier or a later step's.
    trainer.keepBest();
    trainer.train(validation.slice(0, B), multiLabel ? new Array(B * K).fill(0) : new Array(B).fill(1));
    trainer.keepBest();
    const kept = trainer.weights();
    trainer.train(validation.slice(0, B), multiLabel ? new Array(B * K).fill(1) : new Array(B).fill(2));
    assert.notDeepEqual(trainer.weights().table, kept.table);
    trainer.restoreBest();
    bitsEqual(trainer.weights().table, kept.table, 'best table');
    bitsEqual(trainer.weights().bias, kept.bias, 'best bias');
  });
}
