// A real CLI save interrupted by SIGKILL, SIGINT or SIGTERM at random points, in a loop: half the signals are
// timed from the start of the run, half from the moment the new model's temp folder appears (so they land inside
// the save). After each: `predict` works on the path, the model there is the prior one or the complete new one
// (hashes), the user's files are byte-identical, and no temp folder remains after that next run (SIGINT/SIGTERM
// leave none at all). TEXTCAT_SIGNAL_ROUNDS sets the number of rounds (more when CI is set).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRng } from '../../src/core/random';
import { assertBuilt, leftovers, snapshot, startTextcat, tempDir, textcat, trainingCsv } from './hostileHelpers';

const ROUNDS = Number(process.env.TEXTCAT_SIGNAL_ROUNDS) || (process.env.CI ? 45 : 12);
const MODEL = ['--hidden-units', '32', '--embedding-dim', '64', '--epochs', '2', '--quiet'];
const SIGNALS = ['SIGKILL', 'SIGINT', 'SIGTERM'] as const;

let root: string;
let prior: Record<string, string>;
let fresh: Record<string, string>;
let fullRunMs = 0;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The model's own files (the README the user keeps in the folder is checked apart). */
function modelFiles(dir: string): Record<string, string> {
  const all = snapshot(dir);
  return { 'model.json': all['model.json'], 'weights.bin': all['weights.bin'] };
}

before(() => {
  assertBuilt();
  root = tempDir('signals');
  fs.writeFileSync(path.join(root, 'data.csv'), trainingCsv(['pos', 'neg'], 6));
  const train = (out: string, seed: string) => {
    const started = performance.now();
    const r = textcat(['train', 'data.csv', '--out', out, '--seed', seed, ...MODEL], { cwd: root });
    assert.equal(r.status, 0, r.stderr);
    return performance.now() - started;
  };
  train('prior', '1');
  fullRunMs = train('fresh', '2');
  train('fresh-again', '2');
  prior = modelFiles(path.join(root, 'prior'));
  fresh = modelFiles(path.join(root, 'fresh'));
  assert.deepEqual(modelFiles(path.join(root, 'fresh-again')), fresh, 'training is repeatable, so the new model’s hashes are known');
  assert.notDeepEqual(prior, fresh);
});

after(() => fs.rmSync(root, { recursive: true, force: true }));

describe('hostile: signals during a real CLI save', () => {
  it(`${ROUNDS} rounds of SIGKILL/SIGINT/SIGTERM at random points: a complete model at the path every time`, async (t) => {
    const rng = createRng(2024);
    const landedInSave = { SIGKILL: 0, SIGINT: 0, SIGTERM: 0 };
    for (let round = 0; round < ROUNDS; round++) {
      const signal = SIGNALS[round % 3];
      const cwd = path.join(root, `round-${round}`);
      const model = path.join(cwd, 'model');
      fs.mkdirSync(cwd);
      fs.copyFileSync(path.join(root, 'data.csv'), path.join(cwd, 'data.csv'));
      fs.cpSync(path.join(root, 'prior'), model, { recursive: true });
      fs.writeFileSync(path.join(model, 'README.md'), 'kept across saves\n');
      fs.writeFileSync(path.join(cwd, 'notes.txt'), 'mine\n');
      const user = { readme: snapshot(model)['README.md'], notes: snapshot(cwd)['notes.txt'] };

      const child = startTextcat(['train', 'data.csv', '--out', 'model', '--seed', '2', ...MODEL], cwd);
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        child.on('exit', (code, sig) => resolve({ code, signal: sig })),
      );
      let done = false;
      void exited.then(() => (done = true));
      if (round % 2 === 0) {
        await sleep(rng() * fullRunMs); // anywhere in the run
      } else {
        while (!done && !fs.readdirSync(cwd).some((name) => name.startsWith('model.tmp-'))) await sleep(1);
        await sleep(rng() * 8); // inside the save, or just after it
      }
      const midSave = leftovers(model).length > 0;
      child.kill(signal);
      const outcome = await exited;
      if (midSave || leftovers(model).length > 0) landedInSave[signal]++;

      const where = `round ${round} (${signal}, exit ${outcome.code ?? outcome.signal})`;
      if (signal !== 'SIGKILL') {
        // Handled: 130/143; or it had finished (0); or it came before Node set up its handlers (killed by it).
        assert.ok([0, signal === 'SIGINT' ? 130 : 143].includes(outcome.code!) || outcome.signal === signal, where);
        // Caught inside the save, the run still ends as interrupted (after finishing the save), never as a success.
        if (midSave) assert.notEqual(outcome.code, 0, `${where}: a signal during the save ended the run with 0`);
        assert.deepEqual(leftovers(model), [], `${where}: no temp folder after SIGINT/SIGTERM`);
      }
      const predicted = textcat(['predict', 'model', '-'], { cwd, input: 'good day\nawful pain\n' });
      assert.equal(predicted.status, 0, `${where}: predict failed: ${predicted.stderr}`);
      const now = modelFiles(model);
      assert.ok(
        JSON.stringify(now) === JSON.stringify(prior) || JSON.stringify(now) === JSON.stringify(fresh),
        `${where}: the model is neither the prior one nor the complete new one`,
      );
      JSON.parse(fs.readFileSync(path.join(model, 'textcat.json'), 'utf8'));
      assert.equal(snapshot(model)['README.md'], user.readme, `${where}: the README in the model folder`);
      assert.equal(snapshot(cwd)['notes.txt'], user.notes, `${where}: the user's file beside it`);
      assert.deepEqual(leftovers(model), [], `${where}: temp folders remain after the next run`);
      fs.rmSync(cwd, { recursive: true, force: true });
    }
    t.diagnostic(`signals that found the save in progress: ${JSON.stringify(landedInSave)} of ${ROUNDS} rounds`);
  });
});
