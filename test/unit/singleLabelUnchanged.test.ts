// Multi-label training (issue 19) added a second output mode beside the softmax; single-label runs must stay
// exactly what they were. This digest of a small run's weights, losses and metrics was recorded on the code before
// multi-label existed (commit 9124382): any change to the single-label arithmetic, split or order of rng draws
// changes it. A deliberate change to single-label training records a new digest here and says why in its commit.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { initBackend } from '../../src/core/backend';
import { paramList } from '../../src/core/model/params';
import { resolveOptions } from '../../src/core/options';
import { train } from '../../src/core/training/train';
import { keywordExamples } from './fixtures';

// The digest is of the plain kernel, the build whose bits are the same on every machine (docs/performance.md):
// the relaxed one fuses multiply-adds where the CPU has FMA. The kernel is chosen on first use, after this line,
// and the helper threads read the environment when they start.
process.env.TEXTCAT_KERNEL = 'plain';
before(initBackend);

test('single-label training gives bit for bit the weights and metrics it gave before multi-label existed', async () => {
  const result = await train({
    train: keywordExamples(150, 4),
    test: keywordExamples(30, 5),
    options: resolveOptions({ epochs: 3, embeddingDim: 8, hiddenUnits: 8, batchSize: 16, seed: 11, threads: 2 }),
  });
  const hash = createHash('sha256');
  for (const array of paramList(result.params)) hash.update(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
  hash.update(JSON.stringify([result.labels, result.history.map(({ seconds: _s, ...rest }) => rest), result.bestEpoch]));
  hash.update(JSON.stringify([result.validation, result.test, result.validationPredictions, result.combination, result.lstm]));
  hash.update(JSON.stringify({ ...result.baseline, trainSeconds: 0 }));
  assert.equal(hash.digest('hex'), '0215c8c7be382df93e9a86cc3ece93e0d6eacc5dbb1c35693b21da21123bb80b');
});
