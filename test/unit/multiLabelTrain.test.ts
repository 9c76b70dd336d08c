// Multi-label training (issue 19) at the core: early stopping watches the validation binary cross-entropy and
// restores that epoch's weights, the split sends a label that only ever appears beside a common one to validation
// too, progress reports BCE, and the same seed gives the same model.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../../src/core/backend';
import { binaryCrossEntropy, multiHot } from '../../src/core/multiLabel';
import { resolveOptions } from '../../src/core/options';
import { predictTexts } from '../../src/core/predict';
import { train, type TrainProgress } from '../../src/core/training/train';
import { colorLabelRows } from './fixtures';

before(initBackend);

test('early stopping restores the epoch of least validation binary cross-entropy; progress reports it', async () => {
  const progress: TrainProgress[] = [];
  const options = resolveOptions({ epochs: 10, embeddingDim: 8, hiddenUnits: 8, learningRate: 0.2, patience: 2, wideNgrams: 0, seed: 2 });
  const result = await train({ train: colorLabelRows(240, 1), options, onProgress: (p) => p.epochDone && progress.push(p) });
  const best = result.history.find((h) => h.epoch === result.bestEpoch)!;
  assert.ok(result.history.every((h) => h.validationLoss! >= best.validationLoss!));
  const texts = result.validationExamples.map((e) => e.text);
  const restored = binaryCrossEntropy(
    predictTexts(result, texts),
    multiHot(result.validationExamples, result.labels),
    result.labels.length,
  );
  assert.ok(Math.abs(restored - best.validationLoss!) < 1e-5, `restored ${restored}, best ${best.validationLoss}`);
  assert.deepEqual(
    progress.map((p) => p.validationLoss),
    result.history.map((h) => h.validationLoss),
  );
});

test('the split stratifies on the rarest label, the same seed gives the same model, and thresholds are per label', async () => {
  const data = colorLabelRows(300, 4);
  const options = resolveOptions({ epochs: 3, embeddingDim: 8, hiddenUnits: 8, learningRate: 0.01, seed: 5 });
  const [a, b] = [await train({ train: data, options }), await train({ train: data, options })];
  assert.deepEqual(a.labels, ['blue', 'rare', 'red']);
  // 10 rows have "rare" (always with "red"): stratified on it, one in ten of them is held out.
  assert.equal(a.validationExamples.filter((e) => e.labels!.includes('rare')).length, 1);
  assert.equal(a.validationExamples.length, 30);
  assert.deepEqual(a.validation, b.validation);
  assert.deepEqual(a.thresholds, b.thresholds);
  assert.deepEqual(Array.from(a.params.denseKernel), Array.from(b.params.denseKernel));
  assert.equal(a.thresholds!.length, 3);
  assert.equal(a.validation!.multiLabel!.thresholds.join(), a.thresholds!.join());
  assert.equal(a.validationLabelSets!.length, 30);
  assert.match(a.baseline.model, /one-vs-rest logistic regression/);
});
