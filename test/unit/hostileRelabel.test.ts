// `textcat relabel` killed at random points while it rewrites a large dataset (issue 20: "nothing a user labeled is
// ever lost by a relabel … a killed process"). After each SIGKILL the dataset is byte for byte the file before
// or the file after the relabel, never a mix or a truncation; the copy a kill can leave beside it is removed by
// the next relabel of that file, and the user's other files are untouched.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRng } from '../../src/core/random';
import { assertBuilt, startTextcat, tempDir, textcat } from './hostileHelpers';

const ROUNDS = process.env.CI ? 10 : 6;
/** Big enough that writing and flushing it takes a while, so kills land inside the write. */
const ROWS = 60_000;

let root: string;
let before_: string;
let after_: string;
let fullRunMs = 0;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const digest = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const temporaries = (folder: string) => fs.readdirSync(folder).filter((name) => name.includes('.relabel-'));

before(() => {
  assertBuilt();
  root = tempDir('relabel-kill');
  const rows = Array.from(
    { length: ROWS },
    (_, i) => `"ticket ${i}: the printer on floor ${i % 7} is ${i % 3 ? 'jammed' : 'fine'}",${i % 3 ? 'bug' : 'ok'}`,
  );
  fs.writeFileSync(path.join(root, 'data.csv'), `text,label\r\n${rows.join('\r\n')}\r\n`);
  before_ = digest(path.join(root, 'data.csv'));
  const done = path.join(root, 'done');
  fs.mkdirSync(done);
  fs.copyFileSync(path.join(root, 'data.csv'), path.join(done, 'data.csv'));
  const started = performance.now();
  const r = textcat(['relabel', 'data.csv', '--line', '2', '--from', 'ok', '--to', 'bug'], { cwd: done });
  fullRunMs = performance.now() - started;
  assert.equal(r.status, 0, r.stderr);
  after_ = digest(path.join(done, 'data.csv'));
  assert.notEqual(after_, before_);
});

after(() => fs.rmSync(root, { recursive: true, force: true }));

describe('hostile: a relabel killed while it writes', () => {
  it(`${ROUNDS} SIGKILLs at random points: the dataset is the old file or the new one, and the next relabel cleans up`, async (t) => {
    const rng = createRng(7);
    let leftBehind = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const cwd = path.join(root, `round-${round}`);
      fs.mkdirSync(cwd);
      fs.copyFileSync(path.join(root, 'data.csv'), path.join(cwd, 'data.csv'));
      fs.writeFileSync(path.join(cwd, 'notes.txt'), 'mine\n');
      const child = startTextcat(['relabel', 'data.csv', '--line', '2', '--from', 'ok', '--to', 'bug'], cwd);
      const exited = new Promise((resolve) => child.on('exit', resolve));
      let done = false;
      void exited.then(() => (done = true));
      if (round % 2 === 0) {
        await sleep(rng() * fullRunMs); // anywhere in the run
      } else {
        while (!done && temporaries(cwd).length === 0) await sleep(1);
        await sleep(rng() * 20); // while the copy is written, or just after
      }
      child.kill('SIGKILL');
      await exited;

      const where = `round ${round}`;
      const now = digest(path.join(cwd, 'data.csv'));
      assert.ok(now === before_ || now === after_, `${where}: the dataset is neither the old file nor the relabeled one`);
      assert.equal(fs.readFileSync(path.join(cwd, 'notes.txt'), 'utf8'), 'mine\n');
      if (temporaries(cwd).length > 0) leftBehind++;

      // The next relabel of the file (another row) finds the dead run's copy and removes it.
      const next = textcat(['relabel', 'data.csv', '--line', '3', '--to', 'ok'], { cwd });
      assert.equal(next.status, 0, `${where}: ${next.stderr}`);
      assert.deepEqual(temporaries(cwd), [], `${where}: a killed run's copy is still beside the dataset`);
      fs.rmSync(cwd, { recursive: true, force: true });
    }
    t.diagnostic(`kills that left a copy beside the dataset: ${leftBehind} of ${ROUNDS}`);
  });
});
