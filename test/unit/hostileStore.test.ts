// The model store against hostile folders and interrupted saves, in-process: where a model may be written,
// what a save keeps, how leftovers of a killed save are recovered, and a loader that trusts nothing it reads.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { trainJob, predictLines } from '../../src/core/jobs';
import { checkModelDestination, loadModel, summarizeDataset } from '../../src/core/store/modelStore';
import { Tokenizer } from '../../src/core/text/tokenizer';
import { DestinationError, TextcatError, type Example } from '../../src/core/types';
import { leftovers, snapshot, tempDir, trainingCsv } from './hostileHelpers';

const SMALL = { epochs: 1, hiddenUnits: 8, embeddingDim: 8, bidirectional: true };
const GOLDEN = path.join(__dirname, 'golden', 'model-from-main');

let root: string;
let pristine: string;
let count = 0;

before(async () => {
  root = tempDir('store');
  fs.writeFileSync(path.join(root, 'data.csv'), trainingCsv());
  pristine = path.join(root, 'pristine');
  await trainJob({ dataset: { path: path.join(root, 'data.csv') }, options: SMALL, modelDir: pristine });
});

after(() => fs.rmSync(root, { recursive: true, force: true }));

/** A fresh copy of the trained model, in its own folder. */
function copyModel(): string {
  const dir = path.join(root, `case-${++count}`, 'model');
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  fs.cpSync(pristine, dir, { recursive: true });
  return dir;
}

function editJson(file: string, edit: (json: Record<string, unknown>) => void): void {
  const json = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  edit(json);
  fs.writeFileSync(file, JSON.stringify(json));
}

type WeightsManifest = { paths: string[]; weights: { name: string; shape: number[]; dtype: string; quantization?: unknown }[] }[];

function editWeightsManifest(dir: string, edit: (manifest: WeightsManifest) => void): void {
  editJson(path.join(dir, 'model.json'), (json) => edit(json.weightsManifest as WeightsManifest));
}

async function rejectsNaming(dir: string, file: string, message: RegExp): Promise<void> {
  await assert.rejects(loadModel(dir), (error: unknown) => {
    assert.ok(error instanceof TextcatError, `not a TextcatError: ${String(error)}`);
    assert.ok(error.message.startsWith(path.join(dir, file)), `does not name ${file} in ${dir}: ${error.message}`);
    assert.match(error.message, message);
    return true;
  });
}

/** The n-gram vocabulary of a parsed textcat.json. */
function ngramsOf(manifest: Record<string, unknown>): { hashes: number[] } {
  return (manifest.tokenizer as { ngrams: { hashes: number[] } }).ngrams;
}

/** The pid of a process that has exited: what a killed save leaves in its folder names. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('hostile: where a model may be written (checkModelDestination)', () => {
  it('accepts a missing folder, an empty folder (.gitkeep and .DS_Store aside) and a Textcat model folder', () => {
    const base = path.join(root, `dest-${++count}`);
    fs.mkdirSync(path.join(base, 'empty'), { recursive: true });
    fs.mkdirSync(path.join(base, 'kept-empty'));
    fs.writeFileSync(path.join(base, 'kept-empty', '.gitkeep'), '');
    fs.writeFileSync(path.join(base, 'kept-empty', '.DS_Store'), 'x');
    assert.equal(checkModelDestination(path.join(base, 'missing', 'deeper')), path.join(base, 'missing', 'deeper'));
    assert.equal(checkModelDestination(path.join(base, 'empty')), path.join(base, 'empty'));
    assert.equal(
      checkModelDestination(path.join(base, 'kept-empty')),
      path.join(base, 'kept-empty'),
      '.gitkeep and .DS_Store do not count',
    );
    assert.equal(checkModelDestination(pristine), pristine);
  });

  it('refuses a folder of the user’s own files, naming it and what is in it (exit 2 in the CLI)', () => {
    const dir = path.join(root, `dest-${++count}`);
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'data.csv'), 'x');
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'y');
    assert.throws(
      () => checkModelDestination(dir),
      (e: unknown) => e instanceof DestinationError && e.message.startsWith(dir) && /"data\.csv", "notes\.txt"/.test(e.message),
    );
  });

  it('refuses a folder whose textcat.json is not a Textcat manifest', () => {
    const dir = path.join(root, `dest-${++count}`);
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'textcat.json'), '{"name": "some other tool"}');
    assert.throws(() => checkModelDestination(dir), DestinationError);
  });

  it('refuses a regular file, an empty path, the working folder and a folder holding it', () => {
    const file = path.join(root, `dest-${++count}.txt`);
    fs.writeFileSync(file, 'mine');
    assert.throws(
      () => checkModelDestination(file),
      (e: unknown) => e instanceof DestinationError && /is a regular file, not a folder/.test(e.message),
    );
    assert.throws(
      () => checkModelDestination(''),
      (e: unknown) => e instanceof DestinationError && /path is empty/.test(e.message),
    );
    const cwd = process.cwd();
    const work = path.join(root, `dest-${++count}`);
    fs.mkdirSync(path.join(work, 'inner'), { recursive: true });
    process.chdir(path.join(work, 'inner'));
    try {
      for (const dir of ['.', path.join(work, 'inner'), '..', work]) {
        assert.throws(
          () => checkModelDestination(dir),
          (e: unknown) => e instanceof DestinationError && /current folder/.test(e.message),
          dir,
        );
      }
    } finally {
      process.chdir(cwd);
    }
  });

  it('says which ancestor is a file, and refuses a name with no room for the temporary folder', () => {
    const file = path.join(root, `dest-${++count}.txt`);
    fs.writeFileSync(file, 'mine');
    assert.throws(
      () => checkModelDestination(path.join(file, 'sub', 'model')),
      (e: unknown) => e instanceof TextcatError && e.message.startsWith(`${file}: is a regular file, not a folder`),
    );
    assert.throws(() => checkModelDestination(path.join(root, 'm'.repeat(230))), /name too long for a model folder/);
  });

  it('follows a symbolic link to a model folder, so the link keeps working', () => {
    const link = path.join(root, `link-${++count}`);
    fs.symlinkSync(pristine, link);
    assert.equal(checkModelDestination(link), pristine);
  });

  it('refuses a model folder holding a FIFO (a save could not carry it over)', () => {
    const dir = copyModel();
    spawnSync('mkfifo', [path.join(dir, 'pipe')]);
    assert.throws(
      () => checkModelDestination(dir),
      (e: unknown) => e instanceof DestinationError && /FIFO/.test(e.message),
    );
  });
});

describe('hostile: a save never deletes what it did not write', () => {
  it('carries the user’s files, folders and links in the model folder over into the new model, byte for byte', async () => {
    const dir = copyModel();
    fs.writeFileSync(path.join(dir, 'README.md'), '# my model\n');
    fs.mkdirSync(path.join(dir, 'notes'));
    fs.writeFileSync(path.join(dir, 'notes', 'a.txt'), 'kept');
    fs.symlinkSync('/etc/hostname', path.join(dir, 'link'));
    const before = snapshot(dir);
    await trainJob({ dataset: { path: path.join(root, 'data.csv') }, options: { ...SMALL, seed: 7 }, modelDir: dir });
    const after = snapshot(dir);
    for (const name of ['README.md', 'notes', path.join('notes', 'a.txt'), 'link']) assert.equal(after[name], before[name], name);
    assert.notEqual(after['weights.bin'], before['weights.bin'], 'the model itself was replaced');
    assert.deepEqual(leftovers(dir), []);
  });

  it('refuses to save into a folder of other files even when called directly (saveModel checks too)', async () => {
    const dir = path.join(root, `own-${++count}`);
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'data.csv'), 'precious');
    const before = snapshot(dir);
    await assert.rejects(trainJob({ dataset: { path: path.join(root, 'data.csv') }, options: SMALL, modelDir: dir }), DestinationError);
    assert.deepEqual(snapshot(dir), before);
  });
});

describe('hostile: what an interrupted save left is recovered or removed', () => {
  function leave(dir: string, kind: 'tmp' | 'old', pid: number, from: string): string {
    const leftover = `${dir}.${kind}-${pid}-${Date.now().toString(36)}-abc123`;
    fs.cpSync(from, leftover, { recursive: true });
    return leftover;
  }

  it('killed between the two renames (model missing, old and new beside it): the complete new model wins', async () => {
    const dir = copyModel();
    const pid = deadPid();
    const stamp = `${pid}-${Date.now().toString(36)}-abc123`;
    const newer = path.join(root, `newer-${++count}`);
    await trainJob({ dataset: { path: path.join(root, 'data.csv') }, options: { ...SMALL, seed: 9 }, modelDir: newer });
    fs.renameSync(dir, `${dir}.old-${stamp}`);
    fs.cpSync(newer, `${dir}.tmp-${stamp}`, { recursive: true });
    const model = await loadModel(dir);
    assert.deepEqual(snapshot(dir), snapshot(newer));
    assert.deepEqual(leftovers(dir), []);
    assert.equal((await predictLines(model, ['good day'])).length, 1);
  });

  it('an old folder alone (rollback cut short) is put back', async () => {
    const dir = copyModel();
    const before = snapshot(dir);
    fs.renameSync(dir, `${dir}.old-${deadPid()}-${Date.now().toString(36)}-abc123`);
    await loadModel(dir);
    assert.deepEqual(snapshot(dir), before);
    assert.deepEqual(leftovers(dir), []);
  });

  it('a dead process’s half-written temp folder is removed, the model untouched', async () => {
    const dir = copyModel();
    const before = snapshot(dir);
    const partial = leave(dir, 'tmp', deadPid(), pristine);
    fs.rmSync(path.join(partial, 'textcat.json'));
    await loadModel(dir);
    assert.deepEqual(snapshot(dir), before);
    assert.deepEqual(leftovers(dir), []);
  });

  it('a live process’s temp folder is never touched', async () => {
    const dir = copyModel();
    const live = leave(dir, 'tmp', process.pid, pristine);
    await loadModel(dir);
    assert.deepEqual(leftovers(dir), [path.basename(live)]);
    fs.rmSync(live, { recursive: true });
  });

  it('a live writer between its renames: the reader waits, then recovers the new model itself', async () => {
    const dir = copyModel();
    const stamp = `${process.pid}-${Date.now().toString(36)}-abc123`;
    fs.renameSync(dir, `${dir}.old-${stamp}`);
    fs.cpSync(pristine, `${dir}.tmp-${stamp}`, { recursive: true });
    const started = Date.now();
    await loadModel(dir);
    assert.ok(Date.now() - started >= 1500, 'it gave the writer a moment');
    assert.deepEqual(snapshot(dir), snapshot(pristine));
    assert.deepEqual(leftovers(dir), []);
  });

  it('a file that merely looks like a leftover is left alone', async () => {
    const dir = copyModel();
    const lookalike = `${dir}.tmp-${deadPid()}-abc-123456`;
    fs.writeFileSync(lookalike, 'mine');
    await loadModel(dir);
    assert.equal(fs.readFileSync(lookalike, 'utf8'), 'mine');
  });
});

describe('hostile: loading a model trusts nothing in the folder', () => {
  const cases: { name: string; file: string; message: RegExp; make: (dir: string) => void }[] = [
    {
      name: 'a weight path with ..',
      file: 'model.json',
      message: /names the file "\.\.\/outside\.bin", which is not a plain relative path/,
      make: (dir) => {
        fs.copyFileSync(path.join(dir, 'weights.bin'), path.join(dir, '..', 'outside.bin'));
        editWeightsManifest(dir, (m) => (m[0].paths = ['../outside.bin']));
      },
    },
    {
      name: 'an absolute weight path (/etc/passwd)',
      file: 'model.json',
      message: /names the file "\/etc\/passwd"/,
      make: (dir) => editWeightsManifest(dir, (m) => (m[0].paths = ['/etc/passwd'])),
    },
    {
      name: 'a Windows-style path',
      file: 'model.json',
      message: /names the file "C:\\\\Windows\\\\win\.ini"/,
      make: (dir) => editWeightsManifest(dir, (m) => (m[0].paths = ['C:\\Windows\\win.ini'])),
    },
    {
      name: 'weights.bin a link out of the folder',
      file: 'weights.bin',
      message: /resolves to .*outside-link\.bin, outside the model folder/,
      make: (dir) => {
        fs.renameSync(path.join(dir, 'weights.bin'), path.join(dir, '..', 'outside-link.bin'));
        fs.symlinkSync('../outside-link.bin', path.join(dir, 'weights.bin'));
      },
    },
    {
      name: 'weights.bin a link to /dev/zero',
      file: 'weights.bin',
      message: /resolves to \/dev\/zero, outside the model folder/,
      make: (dir) => {
        fs.rmSync(path.join(dir, 'weights.bin'));
        fs.symlinkSync('/dev/zero', path.join(dir, 'weights.bin'));
      },
    },
    {
      name: 'weights.bin a FIFO (must not block)',
      file: 'weights.bin',
      message: /is a FIFO \(named pipe\), not a regular file/,
      make: (dir) => {
        fs.rmSync(path.join(dir, 'weights.bin'));
        spawnSync('mkfifo', [path.join(dir, 'weights.bin')]);
      },
    },
    {
      name: 'weights.bin a folder',
      file: 'weights.bin',
      message: /is a folder, not a regular file/,
      make: (dir) => {
        fs.rmSync(path.join(dir, 'weights.bin'));
        fs.mkdirSync(path.join(dir, 'weights.bin'));
      },
    },
    {
      name: 'weights.bin missing',
      file: 'weights.bin',
      message: /missing: the model is incomplete/,
      make: (dir) => fs.rmSync(path.join(dir, 'weights.bin')),
    },
    {
      name: 'weights.bin four bytes short',
      file: 'model.json',
      message: /hold \d+ bytes but model\.json declares \d+/,
      make: (dir) => fs.truncateSync(path.join(dir, 'weights.bin'), fs.statSync(path.join(dir, 'weights.bin')).size - 4),
    },
    {
      name: 'weights.bin with extra bytes',
      file: 'model.json',
      message: /hold \d+ bytes but model\.json declares \d+/,
      make: (dir) => fs.appendFileSync(path.join(dir, 'weights.bin'), Buffer.alloc(4)),
    },
    {
      name: 'huge declared shapes in model.json',
      file: 'model.json',
      message: /declares weights \[1000000000,1000000000\].* but the model's shape needs/,
      make: (dir) => editWeightsManifest(dir, (m) => (m[0].weights[0].shape = [1e9, 1e9])),
    },
    {
      name: 'a negative or fractional dimension',
      file: 'model.json',
      message: /dimensions must be non-negative integers/,
      make: (dir) => editWeightsManifest(dir, (m) => (m[0].weights[1].shape = [-8, 2.5])),
    },
    {
      name: 'int32 weights',
      file: 'model.json',
      message: /has dtype "int32"; Textcat models hold float32 weights/,
      make: (dir) => editWeightsManifest(dir, (m) => (m[0].weights[0].dtype = 'int32')),
    },
    {
      name: 'quantized weights',
      file: 'model.json',
      message: /is quantized/,
      make: (dir) => editWeightsManifest(dir, (m) => (m[0].weights[0].quantization = { dtype: 'uint8', scale: 1, min: 0 })),
    },
    {
      name: 'no weightsManifest',
      file: 'model.json',
      message: /has no weightsManifest/,
      make: (dir) => editJson(path.join(dir, 'model.json'), (j) => delete j.weightsManifest),
    },
    {
      name: 'model.json not JSON',
      file: 'model.json',
      message: /is not valid JSON/,
      make: (dir) => fs.writeFileSync(path.join(dir, 'model.json'), '{"weightsManifest": ['),
    },
    {
      name: 'model.json a link to /dev/zero',
      file: 'model.json',
      message: /resolves to \/dev\/zero, outside the model folder/,
      make: (dir) => {
        fs.rmSync(path.join(dir, 'model.json'));
        fs.symlinkSync('/dev/zero', path.join(dir, 'model.json'));
      },
    },
    {
      name: 'shapes in textcat.json that call for 3.8 GiB',
      file: 'textcat.json',
      message: /its shape calls for 3\.8 GiB of weights, more than the 1\.0 GiB Textcat loads/,
      make: (dir) =>
        editJson(path.join(dir, 'textcat.json'), (j) => Object.assign(j.shape as object, { vocabSize: 1_000_000, embeddingDim: 1024 })),
    },
    {
      name: 'a shape number beyond its option’s bounds',
      file: 'textcat.json',
      message: /"shape\.hiddenUnits" must be an integer from 2 to 1024, got 100000/,
      make: (dir) => editJson(path.join(dir, 'textcat.json'), (j) => Object.assign(j.shape as object, { hiddenUnits: 100000 })),
    },
    {
      name: 'a bad training option (dropout 5)',
      file: 'textcat.json',
      message: /option dropout must be a number from 0 to 0\.9, got 5/,
      make: (dir) => editJson(path.join(dir, 'textcat.json'), (j) => Object.assign(j.options as object, { dropout: 5 })),
    },
    {
      name: 'a tokenizer maxLength beyond its bound',
      file: 'textcat.json',
      message: /the tokenizer's maxLength is 1000000000, more than 2048/,
      make: (dir) =>
        editJson(path.join(dir, 'textcat.json'), (j) => Object.assign((j.tokenizer as { config: object }).config, { maxLength: 1e9 })),
    },
    {
      name: 'labels and shape that disagree',
      file: 'textcat.json',
      message: /"shape\.numClasses" is 2 but there are 3 labels/,
      make: (dir) => editJson(path.join(dir, 'textcat.json'), (j) => (j.labels as string[]).push('third')),
    },
    {
      name: 'a label named twice',
      file: 'textcat.json',
      message: /names a class twice/,
      make: (dir) => editJson(path.join(dir, 'textcat.json'), (j) => (j.labels = ['neg', 'neg'])),
    },
    {
      name: 'textcat.json an array',
      file: 'textcat.json',
      message: /expected a JSON object/,
      make: (dir) => fs.writeFileSync(path.join(dir, 'textcat.json'), '[]'),
    },
    {
      name: 'textcat.json a FIFO (must not block)',
      file: 'textcat.json',
      message: /is a FIFO/,
      make: (dir) => {
        fs.rmSync(path.join(dir, 'textcat.json'));
        spawnSync('mkfifo', [path.join(dir, 'textcat.json')]);
      },
    },
    {
      name: 'textcat.json of 300 MiB (sparse)',
      file: 'textcat.json',
      message: /is 300\.0 MiB, more than the 256\.0 MiB Textcat reads for it/,
      make: (dir) => fs.truncateSync(path.join(dir, 'textcat.json'), 300 * 2 ** 20),
    },
    {
      name: 'an n-gram vocabulary longer than the wide path’s table',
      file: 'textcat.json',
      message: /the n-gram vocabulary and the model disagree \(\d+ n-grams for a wide path of \d+ rows \(padding included\)\)/,
      make: (dir) => editJson(path.join(dir, 'textcat.json'), (j) => ngramsOf(j).hashes.push(12345)),
    },
    {
      name: 'a wide path without its n-gram vocabulary',
      file: 'textcat.json',
      message: /the n-gram vocabulary and the model disagree \(no n-grams for a wide path of \d+ rows/,
      make: (dir) => editJson(path.join(dir, 'textcat.json'), (j) => delete (j.tokenizer as { ngrams?: unknown }).ngrams),
    },
    {
      name: 'n-gram hashes that are not 32-bit unsigned integers',
      file: 'textcat.json',
      message: /"ngrams\.hashes" must be an array of 32-bit unsigned integers/,
      make: (dir) => editJson(path.join(dir, 'textcat.json'), (j) => (ngramsOf(j).hashes[0] = 2 ** 40)),
    },
    {
      name: 'an n-gram hash listed twice',
      file: 'textcat.json',
      message: /"ngrams\.hashes" has duplicates/,
      make: (dir) =>
        editJson(path.join(dir, 'textcat.json'), (j) => {
          const { hashes } = ngramsOf(j);
          hashes[1] = hashes[0];
        }),
    },
    {
      name: 'a wide path’s row count beyond the wideNgrams bound',
      file: 'textcat.json',
      message: /"shape\.ngramRows" must be an integer from 0 to 10000001, got 20000000/,
      make: (dir) => editJson(path.join(dir, 'textcat.json'), (j) => Object.assign(j.shape as object, { ngramRows: 20_000_000 })),
    },
    {
      name: 'a wide path’s row count that is not a number',
      file: 'textcat.json',
      message: /"shape\.ngramRows" must be a number/,
      make: (dir) => editJson(path.join(dir, 'textcat.json'), (j) => Object.assign(j.shape as object, { ngramRows: 'many' })),
    },
    {
      name: 'model.json without the wide path’s table and mask',
      file: 'model.json',
      message: /declares weights .* but the model's shape needs .*\[\d+,1\]/,
      make: (dir) => editWeightsManifest(dir, (m) => (m[0].weights = m[0].weights.filter((w) => !w.name.startsWith('ngram_')))),
    },
    {
      name: 'a wide path’s table declared with another row count',
      file: 'model.json',
      message: /declares weights .* but the model's shape needs/,
      make: (dir) =>
        editWeightsManifest(dir, (m) => {
          const table = m[0].weights.find((w) => w.name.startsWith('ngram_embedding'))!;
          table.shape = [table.shape[0] - 1, table.shape[1]];
        }),
    },
    {
      name: 'a tokenizer from a newer Textcat',
      file: 'textcat.json',
      message: /The saved tokenizer is version 99, newer than this Textcat reads .*update Textcat\.$/,
      make: (dir) => editJson(path.join(dir, 'textcat.json'), (j) => Object.assign(j.tokenizer as object, { version: 99 })),
    },
    {
      name: 'a model from a newer Textcat',
      file: 'textcat.json',
      message: /newer Textcat/,
      make: (dir) => editJson(path.join(dir, 'textcat.json'), (j) => (j.formatVersion = 99)),
    },
  ];

  for (const c of cases) {
    it(`${c.name}: refused, naming ${c.file} in the model folder`, async () => {
      const dir = copyModel();
      c.make(dir);
      await rejectsNaming(dir, c.file, c.message);
    });
  }

  for (const [where, value] of [
    ['first', NaN],
    ['last', Infinity],
    ['last', -Infinity],
  ] as const) {
    it(`${String(value)} in the ${where} weight: "damaged", naming weights.bin`, async () => {
      const dir = copyModel();
      const file = path.join(dir, 'weights.bin');
      const bytes = fs.readFileSync(file);
      bytes.writeFloatLE(value, where === 'first' ? 0 : bytes.length - 4);
      fs.writeFileSync(file, bytes);
      await rejectsNaming(dir, 'weights.bin', /holds NaN or infinite weights .*the model is damaged/);
    });
  }

  /** Writes `value` at `index` of the named weight (found by the manifest's order and shapes) in weights.bin. */
  function writeWeight(dir: string, prefix: string, index: number, value: number): void {
    const specs = (JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8')) as { weightsManifest: WeightsManifest })
      .weightsManifest[0].weights;
    const at = specs.findIndex((w) => w.name.startsWith(prefix));
    assert.ok(at > 0, `the model has no ${prefix} weight`);
    const offset = specs.slice(0, at).reduce((sum, w) => sum + 4 * w.shape.reduce((a, b) => a * b, 1), 0);
    const file = path.join(dir, 'weights.bin');
    const bytes = fs.readFileSync(file);
    bytes.writeFloatLE(value, offset + 4 * index);
    fs.writeFileSync(file, bytes);
  }

  it('NaN in the wide path’s n-gram table: "damaged", naming weights.bin and the weight', async () => {
    const dir = copyModel();
    writeWeight(dir, 'ngram_embedding', 3, NaN);
    await rejectsNaming(dir, 'weights.bin', /holds NaN or infinite weights \(ngram_embedding\/embeddings, value 3\).*the model is damaged/);
  });

  it('a wide path’s mask that is not the constant one (padding scored 0): refused, naming weights.bin', async () => {
    const dir = copyModel();
    writeWeight(dir, 'ngram_mask', 0, 0);
    await rejectsNaming(
      dir,
      'weights.bin',
      /holds a wide-path mask \(ngram_mask\/embeddings\) that is not the constant one \(value 0 is 0, expected -10000\).*the model is damaged/,
    );
    const other = copyModel();
    writeWeight(other, 'ngram_mask', 1, 0.5);
    await rejectsNaming(other, 'weights.bin', /not the constant one \(value 1 is 0\.5, expected 0\)/);
  });

  it('the pristine model has a wide path, which the loader reads and predicts with', async () => {
    const model = await loadModel(pristine);
    assert.ok(model.shape.ngramRows && model.shape.ngramRows > 1, 'trained with the default wideNgrams');
    assert.equal(model.tokenizer.ngrams?.rows, model.shape.ngramRows);
    assert.equal(model.params.wide?.table.length, model.shape.ngramRows * model.labels.length);
    const encoded = model.tokenizer.encodeLine('good day');
    assert.ok(encoded.ngrams.length > 0, 'the line has known n-grams');
  });

  it('a folder that is missing does not exist; a file is not a model', async () => {
    await assert.rejects(loadModel(path.join(root, 'nothing-here')), /nothing-here: does not exist/);
    const file = path.join(root, `file-${++count}`);
    fs.writeFileSync(file, 'x');
    await assert.rejects(loadModel(file), /is a regular file, not a Textcat model folder/);
  });

  it('weights split over two files in the manifest (as tfjs shards them) load and predict the same', async () => {
    const dir = copyModel();
    const bytes = fs.readFileSync(path.join(dir, 'weights.bin'));
    const cut = 4 * 37; // inside the first weight
    fs.writeFileSync(path.join(dir, 'shard1.bin'), bytes.subarray(0, cut));
    fs.writeFileSync(path.join(dir, 'shard2.bin'), bytes.subarray(cut));
    editWeightsManifest(dir, (m) => (m[0].paths = ['shard1.bin', 'shard2.bin']));
    const [a, b] = await Promise.all([loadModel(dir), loadModel(pristine)]);
    assert.deepEqual(await predictLines(a, ['good day', 'awful pain']), await predictLines(b, ['good day', 'awful pain']));
  });

  it('a hostile model costs no memory: /dev/zero and 3.8 GiB shapes are refused before any allocation', async () => {
    const zero = copyModel();
    editWeightsManifest(zero, (m) => (m[0].paths = ['zero.bin']));
    fs.symlinkSync('/dev/zero', path.join(zero, 'zero.bin'));
    const huge = copyModel();
    editJson(path.join(huge, 'textcat.json'), (j) => Object.assign(j.shape as object, { vocabSize: 1_000_000, embeddingDim: 1024 }));
    const before = process.memoryUsage().rss;
    for (let i = 0; i < 5; i++) {
      await assert.rejects(loadModel(zero), TextcatError);
      await assert.rejects(loadModel(huge), TextcatError);
    }
    const growth = process.memoryUsage().rss - before;
    assert.ok(growth < 64 * 2 ** 20, `grew by ${Math.round(growth / 2 ** 20)} MB`);
  });
});

describe('hostile: models saved by earlier versions still load', () => {
  it('the model folder written by main (5711ee8) loads and predicts what that build predicted', async () => {
    const dir = path.join(root, 'golden');
    fs.cpSync(path.join(GOLDEN, 'model'), dir, { recursive: true });
    const model = await loadModel(dir);
    const lines = fs.readFileSync(path.join(GOLDEN, 'lines.txt'), 'utf8').split('\n');
    const expected = fs
      .readFileSync(path.join(GOLDEN, 'expected.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { line: number; label: string; probabilities: Record<string, number> });
    const predictions = await predictLines(
      model,
      expected.map((e) => lines[e.line - 1]),
    );
    expected.forEach((e, i) => {
      assert.equal(predictions[i].label, e.label, `line ${e.line}`);
      model.labels.forEach((label, k) =>
        assert.ok(Math.abs(predictions[i].probabilities[k] - e.probabilities[label]) < 1e-6, `line ${e.line} ${label}`),
      );
    });
    assert.deepEqual(snapshot(dir), snapshot(path.join(GOLDEN, 'model')), 'loading wrote nothing');
  });
});

describe("hostile: the LSTM alone's scores in textcat.json only inform", () => {
  const manifestOf = (dir: string) => path.join(dir, 'textcat.json');

  it('a wide model keeps them, and one saved before they were kept (no "lstm") loads and predicts the same', async () => {
    const kept = await loadModel(pristine);
    assert.ok(kept.shape.ngramRows && kept.manifest.combination, 'the pristine model has a wide path');
    const stored = JSON.parse(fs.readFileSync(manifestOf(pristine), 'utf8')) as { lstm?: unknown };
    assert.ok(stored.lstm && kept.manifest.lstm?.validation, 'saved and read back');
    assert.deepEqual(kept.manifest.lstm, stored.lstm);
    const dir = copyModel();
    editJson(manifestOf(dir), (json) => delete json.lstm);
    const older = await loadModel(dir);
    assert.equal(older.manifest.lstm, undefined);
    const lines = ['refund my charge', 'parcel tracking please'];
    assert.deepEqual(await predictLines(older, lines), await predictLines(kept, lines));
  });

  for (const [name, value] of [
    ['a string', 'high'],
    ['a list', [{ accuracy: 0.5, macroF1: 0.5 }]],
    ['a score that is a string', { validation: { accuracy: 0.5, macroF1: '<img src=x onerror=alert(1)>' } }],
    ['a score above 1', { validation: { accuracy: 0.5, macroF1: 7 } }],
    ['a test score that is an object', { validation: { accuracy: 0.5, macroF1: 0.5 }, test: { accuracy: {}, macroF1: 0.5 } }],
  ] as const) {
    it(`${name} is dropped, and the model still loads`, async () => {
      const dir = copyModel();
      editJson(manifestOf(dir), (json) => (json.lstm = value));
      const model = await loadModel(dir);
      assert.equal(model.manifest.lstm, undefined);
      assert.ok(model.manifest.baseline, 'the rest of the manifest is kept');
    });
  }

  it('only the validation and test scores are kept from it', async () => {
    const dir = copyModel();
    const pair = { accuracy: 0.5, macroF1: 0.25 };
    editJson(manifestOf(dir), (json) => (json.lstm = { validation: pair, note: 'x'.repeat(1000) }));
    assert.deepEqual((await loadModel(dir)).manifest.lstm, { validation: pair });
  });
});

describe('hostile: labels that are names of Object.prototype members', () => {
  it('"__proto__", "constructor" and "toString" count right in classCounts and survive JSON', () => {
    const labels = ['__proto__', 'constructor', 'toString', 'hasOwnProperty'];
    const examples: Example[] = labels.flatMap((label, k) =>
      Array.from({ length: k + 1 }, (_, i) => ({ text: `text ${i}`, label, line: i + 2 })),
    );
    const info = summarizeDataset(
      examples,
      {
        path: 'x.csv',
        format: 'csv',
        columns: { text: 'text', label: 'label', source: 'header', confident: true, available: [] },
        sha256: '',
        warnings: [],
      },
      Tokenizer.fit(examples.map((e) => e.text)),
    );
    const parsed = JSON.parse(JSON.stringify(info)) as { classCounts: Record<string, number> };
    for (const counts of [info.classCounts, parsed.classCounts]) {
      assert.deepEqual(Object.keys(counts).sort(), [...labels].sort());
      labels.forEach((label, k) => assert.equal(Object.getOwnPropertyDescriptor(counts, label)?.value, k + 1, label));
    }
  });
});
