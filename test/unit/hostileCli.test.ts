// The CLI against hostile input and faults, as a user meets it (dist/cli.js in a child process). Every case
// checks the exit code, a message naming the path, no stack trace, and that the files that were there before
// (the user's and the prior model's) are byte-identical afterwards unless a complete new model replaced them.
// Grouped as in issue 10. Needs `npm run build` first.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  assertBuilt,
  assertNoStack,
  canUnshare,
  CLI,
  escapeRegExp,
  expectFailure,
  leftovers,
  shellQuote,
  SMALL,
  snapshot,
  tempDir,
  textcat,
  trainingCsv,
  type Run,
} from './hostileHelpers';

let root: string;
/** A trained model every case copies, so the prior model of a case is a real one. */
let trainedModel: string;
let count = 0;

before(() => {
  assertBuilt();
  root = tempDir('cli');
  fs.chmodSync(root, 0o755); // readable by the unprivileged user of the permission cases
  fs.writeFileSync(path.join(root, 'data.csv'), trainingCsv());
  trainedModel = path.join(root, 'trained');
  const r = textcat(['train', 'data.csv', '--out', trainedModel, ...SMALL], { cwd: root });
  assert.equal(r.status, 0, r.stderr);
});

after(() => fs.rmSync(root, { recursive: true, force: true }));

/** A folder for one case holding data.csv, notes.txt and a model folder, all snapshotted. */
function workspace(): { cwd: string; model: string; before: Record<string, string> } {
  const cwd = path.join(root, `case-${++count}`);
  fs.mkdirSync(cwd);
  fs.chmodSync(cwd, 0o755);
  fs.writeFileSync(path.join(cwd, 'data.csv'), trainingCsv());
  fs.writeFileSync(path.join(cwd, 'notes.txt'), 'my notes\n');
  const model = path.join(cwd, 'model');
  fs.cpSync(trainedModel, model, { recursive: true });
  return { cwd, model, before: snapshot(cwd) };
}

function unchanged(cwd: string, before: Record<string, string>): void {
  assert.deepEqual(snapshot(cwd), before, 'the files that were there are byte-identical');
}

const run = (cwd: string, ...args: string[]): Run => textcat(args, { cwd });

function editJson(file: string, edit: (json: Record<string, unknown>) => void): void {
  const json = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  edit(json);
  fs.writeFileSync(file, JSON.stringify(json));
}

function setWeightPath(model: string, weightPath: string): void {
  editJson(path.join(model, 'model.json'), (j) => ((j.weightsManifest as { paths: string[] }[])[0].paths = [weightPath]));
}

describe('hostile CLI: data loss', () => {
  for (const [name, out] of [
    ['--out "$PWD"', (cwd: string) => cwd],
    ['--out .', () => '.'],
    ['--out a folder of the user’s files', (cwd: string) => path.join(cwd, 'mine')],
    ['--out an existing regular file', (cwd: string) => path.join(cwd, 'notes.txt')],
  ] as const) {
    it(`train ${name}: exit 2 before training, naming the path; nothing deleted`, () => {
      const ws = workspace();
      fs.mkdirSync(path.join(ws.cwd, 'mine'));
      fs.writeFileSync(path.join(ws.cwd, 'mine', 'keep.txt'), 'keep');
      const before = snapshot(ws.cwd);
      const target = out(ws.cwd);
      const r = run(ws.cwd, 'train', 'data.csv', '--out', target, ...SMALL);
      expectFailure(r, 2, new RegExp(`^textcat: ${escapeRegExp(path.resolve(ws.cwd, target))}: `));
      unchanged(ws.cwd, before);
    });
  }

  it("train --out '': exit 2 naming the empty path", () => {
    const ws = workspace();
    expectFailure(run(ws.cwd, 'train', 'data.csv', '--out', '', ...SMALL), 2, /^textcat: '': .*path is empty/);
    unchanged(ws.cwd, ws.before);
  });

  it('train into a model folder holding a README: the model is replaced, the README kept byte for byte', () => {
    const ws = workspace();
    fs.writeFileSync(path.join(ws.model, 'README.md'), '# mine\n');
    const readme = snapshot(ws.model)['README.md'];
    const r = run(ws.cwd, 'train', 'data.csv', '--out', 'model', ...SMALL, '--seed', '5');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(snapshot(ws.model)['README.md'], readme);
    assert.notEqual(snapshot(ws.model)['weights.bin'], ws.before['model/weights.bin']);
    assert.deepEqual(leftovers(ws.model), []);
  });

  it('predict > /dev/full: exit 1 saying the output could not be written (it used to exit 0)', () => {
    const ws = workspace();
    const r = textcat(['predict', 'model', 'data.csv'], { cwd: ws.cwd, shell: '$TEXTCAT > /dev/full' });
    expectFailure(r, 1, /^textcat: standard output: cannot be written: no space left on the device/);
    unchanged(ws.cwd, ws.before);
  });

  it('predict | head -1: a closed pipe ends quietly with exit 0', async () => {
    const ws = workspace();
    fs.writeFileSync(path.join(ws.cwd, 'many.txt'), Array.from({ length: 20_000 }, (_, i) => `good day ${i}`).join('\n'));
    const child = spawn(process.execPath, [CLI, 'predict', 'model', 'many.txt'], { cwd: ws.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.once('data', () => child.stdout.destroy()); // what `head -1` does after its line
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 0, stderr);
    assert.equal(stderr, '');
  });

  it('predict <(…) reads a pipe', () => {
    const ws = workspace();
    const r = textcat(['predict', 'model'], {
      cwd: ws.cwd,
      shell: `bash -c ${shellQuote('$TEXTCAT <(printf "good day\\nawful pain\\n")')}`,
    });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim().split('\n').length, 2);
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`predict on a FIFO no one writes to ends on ${signal} (process.exit waited for the thread stuck in open())`, async () => {
      const ws = workspace();
      const fifo = path.join(ws.cwd, 'ff');
      assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
      const child = spawn(process.execPath, [CLI, 'predict', 'model', 'ff'], { cwd: ws.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        child.on('exit', (code, sig) => resolve({ code, signal: sig })),
      );
      await waitUntilOpeningFifo(child.pid!);
      child.kill(signal);
      const ended = await Promise.race([exited, sleep(20_000).then(() => undefined)]); // generous: it ends at once, or never
      if (!ended) child.kill('SIGKILL');
      assert.ok(ended, `still running 20 s after ${signal}`);
      assert.ok(ended.signal === signal || ended.code === (signal === 'SIGINT' ? 130 : 143), JSON.stringify(ended));
      unchanged(ws.cwd, { ...ws.before, ff: 'special' });
    });
  }
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits (up to 15 s) until a thread of `pid` is blocked opening a FIFO, as Linux's /proc shows it; elsewhere just waits. */
async function waitUntilOpeningFifo(pid: number): Promise<void> {
  const blocked = () => {
    try {
      return fs
        .readdirSync(`/proc/${pid}/task`)
        .some((task) => fs.readFileSync(`/proc/${pid}/task/${task}/wchan`, 'utf8').includes('wait_for_partner'));
    } catch {
      return false;
    }
  };
  for (let waited = 0; waited < 15_000 && !blocked(); waited += 50) await sleep(50);
}

describe('hostile CLI: reads outside the model folder, unbounded allocation', () => {
  for (const [name, weightPath, message] of [
    ['../outside.bin', '../outside.bin', /model\.json: names the file "\.\.\/outside\.bin"/],
    ['../../../../etc/passwd', '../../../../etc/passwd', /model\.json: names the file "\.\.\/\.\.\/\.\.\/\.\.\/etc\/passwd"/],
    ['/dev/zero', '/dev/zero', /model\.json: names the file "\/dev\/zero"/],
  ] as const) {
    it(`a weightsManifest path ${name}: exit 1 naming model.json, small memory, nothing read`, () => {
      const ws = workspace();
      fs.copyFileSync(path.join(ws.model, 'weights.bin'), path.join(ws.cwd, 'outside.bin'));
      setWeightPath(ws.model, weightPath);
      const before = snapshot(ws.cwd);
      const r = textcat(['predict', 'model', 'data.csv'], { cwd: ws.cwd, measureMemory: true });
      expectFailure(r, 1, new RegExp(`^textcat: model/${message.source}`));
      assert.ok(r.maxRss! < 300 * 2 ** 20, `peak RSS ${Math.round(r.maxRss! / 2 ** 20)} MB`);
      unchanged(ws.cwd, before);
    });
  }

  it('weights.bin a link to /dev/zero: exit 1, small memory', () => {
    const ws = workspace();
    fs.rmSync(path.join(ws.model, 'weights.bin'));
    fs.symlinkSync('/dev/zero', path.join(ws.model, 'weights.bin'));
    const r = textcat(['predict', 'model', 'data.csv'], { cwd: ws.cwd, measureMemory: true });
    expectFailure(r, 1, /^textcat: model\/weights\.bin: resolves to \/dev\/zero, outside the model folder/);
    assert.ok(r.maxRss! < 300 * 2 ** 20, `peak RSS ${Math.round(r.maxRss! / 2 ** 20)} MB`);
  });

  it('NaN in the weights: predict and eval exit 1 with "damaged" naming weights.bin (predict crashed, eval scored it)', () => {
    const ws = workspace();
    const file = path.join(ws.model, 'weights.bin');
    const bytes = fs.readFileSync(file);
    bytes.writeFloatLE(NaN, bytes.length - 4);
    fs.writeFileSync(file, bytes);
    const before = snapshot(ws.cwd);
    for (const args of [
      ['predict', 'model', 'data.csv'],
      ['eval', 'model', 'data.csv'],
    ]) {
      expectFailure(run(ws.cwd, ...args), 1, /^textcat: model\/weights\.bin: holds NaN or infinite weights .*the model is damaged/);
    }
    unchanged(ws.cwd, before);
  });
});

describe('hostile CLI: internal errors that are now clear messages', () => {
  const cases: {
    name: string;
    args: (cwd: string) => string[];
    code: number;
    message: (cwd: string) => RegExp;
    setup?: (cwd: string) => void;
  }[] = [
    {
      name: 'data.csv/ (trailing slash)',
      args: () => ['train', 'data.csv/', '--out', 'new', ...SMALL],
      code: 1,
      message: () => /^textcat: data\.csv\/: a part of this path is a file, not a folder/,
    },
    {
      name: 'a 300-character file name',
      args: () => ['train', `${'x'.repeat(300)}.csv`, '--out', 'new', ...SMALL],
      code: 1,
      message: () => /^textcat: x+\.csv: the path or one of its names is too long/,
    },
    {
      name: 'a symbolic link loop',
      setup: (cwd) => {
        fs.symlinkSync('loop-b.csv', path.join(cwd, 'loop-a.csv'));
        fs.symlinkSync('loop-a.csv', path.join(cwd, 'loop-b.csv'));
      },
      args: () => ['train', 'loop-a.csv', '--out', 'new', ...SMALL],
      code: 1,
      message: () => /^textcat: loop-a\.csv: is a symbolic link that points to itself/,
    },
    {
      name: '--format folder on a file',
      args: () => ['train', 'data.csv', '--format', 'folder', '--out', 'new', ...SMALL],
      code: 1,
      message: () => /^textcat: data\.csv: is a regular file, not a folder; the folder format/,
    },
    {
      name: 'predict on a directory',
      setup: (cwd) => fs.mkdirSync(path.join(cwd, 'logs')),
      args: () => ['predict', 'model', 'logs'],
      code: 1,
      message: () => /^textcat: logs: is a folder, not a text file; give the files in it/,
    },
    {
      name: 'predict /dev/zero',
      args: () => ['predict', 'model', '/dev/zero'],
      code: 1,
      message: () => /^textcat: \/dev\/zero: is a character device, not a text file/,
    },
    {
      name: 'predict - < /dev/zero',
      args: () => ['predict', 'model', '-'],
      code: 1,
      message: () => /^textcat: standard input:1: looks like a binary file/,
    },
    {
      name: '--out afile/model with afile a file',
      args: () => ['train', 'data.csv', '--out', 'notes.txt/model', ...SMALL],
      code: 1,
      message: (cwd) =>
        new RegExp(`^textcat: ${escapeRegExp(path.join(cwd, 'notes.txt'))}: is a regular file, not a folder, so the model folder`),
    },
    {
      name: '--format xml',
      args: () => ['train', 'data.csv', '--format', 'xml', '--out', 'new'],
      code: 2,
      message: () => /^textcat: --format must be one of csv, tsv, jsonl, json, fasttext, folder, got "xml"/,
    },
  ];
  for (const c of cases) {
    it(`${c.name}: exit ${c.code} with a message naming the path`, () => {
      const ws = workspace();
      c.setup?.(ws.cwd);
      const before = snapshot(ws.cwd);
      const shell = c.name.includes('< /dev/zero') ? '$TEXTCAT < /dev/zero' : undefined;
      const r = textcat(c.args(ws.cwd), { cwd: ws.cwd, shell });
      expectFailure(r, c.code, c.message(ws.cwd));
      unchanged(ws.cwd, before);
    });
  }

  it(
    '--out on a read-only file system: exit 1 before training, naming the folder',
    { skip: !canUnshare() && 'no user namespaces here' },
    () => {
      const ws = workspace();
      const ro = path.join(ws.cwd, 'ro');
      fs.mkdirSync(ro);
      const r = textcat(['train', 'data.csv', '--out', path.join(ro, 'model'), ...SMALL.filter((a) => a !== '--quiet')], {
        cwd: ws.cwd,
        shell: `unshare -r -m sh -c ${shellQuote(`mount -t tmpfs -o ro tmpfs ${shellQuote(ro)} && exec $TEXTCAT`)}`,
      });
      expectFailure(r, 1, new RegExp(`^textcat: ${escapeRegExp(ro)}: cannot be written: it is on a read-only file system`));
      assert.doesNotMatch(r.stderr, /epoch/, 'it stopped before training');
    },
  );

  it(
    'disk full during the save: exit 1 naming the folder, the prior model byte-identical, no temp folder',
    { skip: !canUnshare() && 'no user namespaces here' },
    () => {
      const ws = workspace();
      const small = path.join(ws.cwd, 'small');
      fs.mkdirSync(small);
      // The prior model fits in the 64 KiB disk; a second copy of it (the new model, beside) does not.
      const args = [
        'train',
        'data.csv',
        '--out',
        path.join(small, 'model'),
        '--hidden-units',
        '24',
        '--embedding-dim',
        '24',
        '--epochs',
        '1',
        '--quiet',
      ];
      const script = [
        `mount -t tmpfs -o size=64k tmpfs ${shellQuote(small)}`,
        `$TEXTCAT`,
        `sha256sum ${shellQuote(small)}/model/* > ${shellQuote(path.join(ws.cwd, 'before.sum'))}`,
        `$TEXTCAT --seed 3`,
        `echo "exit=$?" >&2`,
        `sha256sum ${shellQuote(small)}/model/* > ${shellQuote(path.join(ws.cwd, 'after.sum'))}`,
        `ls -a ${shellQuote(small)} >&2`,
      ].join('; ');
      const r = textcat(args, { cwd: ws.cwd, shell: `unshare -r -m sh -c ${shellQuote(script)}` });
      assert.match(r.stderr, /exit=1/, r.stderr);
      assert.match(
        r.stderr,
        new RegExp(
          `textcat: ${escapeRegExp(path.join(small, 'model'))}: the model could not be saved here \\(cannot be written: no space left on the device`,
        ),
      );
      assert.match(r.stderr, /the previous model in it is unchanged/);
      assertNoStack(r);
      assert.equal(fs.readFileSync(path.join(ws.cwd, 'after.sum'), 'utf8'), fs.readFileSync(path.join(ws.cwd, 'before.sum'), 'utf8'));
      assert.doesNotMatch(r.stderr, /model\.(tmp|old)-/, 'no temp folder left');
    },
  );

  it(
    '--out /proc/x as root (access() allows it, mkdir does not): exit 2 before training, naming /proc',
    { skip: process.getuid?.() !== 0 && 'only root passes access() on /proc' },
    () => {
      const ws = workspace();
      const r = run(ws.cwd, 'train', 'data.csv', '--out', '/proc/textcat-x', ...SMALL.filter((a) => a !== '--quiet'));
      expectFailure(r, 2, /^textcat: \/proc: does not let Textcat create a folder in it .*put the model on a regular disk/);
      assert.doesNotMatch(r.stderr, /epoch/, 'it stopped before training');
      unchanged(ws.cwd, ws.before);
    },
  );

  it('--out a/b/model (folders to create): trains, and the probe of the destination leaves nothing behind', () => {
    const ws = workspace();
    const r = run(ws.cwd, 'train', 'data.csv', '--out', 'a/b/model', ...SMALL);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(fs.readdirSync(ws.cwd).sort(), ['a', 'data.csv', 'model', 'notes.txt']);
    assert.deepEqual(fs.readdirSync(path.join(ws.cwd, 'a', 'b')), ['model']);
    const again = run(ws.cwd, 'train', 'data.csv', '--out', 'model', ...SMALL);
    assert.equal(again.status, 0, again.stderr);
    assert.deepEqual(fs.readdirSync(ws.cwd).sort(), ['a', 'data.csv', 'model', 'notes.txt']);
  });

  it('permission denied: an unreadable dataset and an unwritable --out, exit 1 each (as nobody when run as root)', () => {
    const ws = workspace();
    const isRoot = process.getuid?.() === 0;
    const unprivileged = (args: string[]) => textcat(args, { cwd: ws.cwd, uid: isRoot ? 65534 : undefined });
    fs.chmodSync(path.join(ws.cwd, 'data.csv'), isRoot ? 0o600 : 0o000);
    expectFailure(
      // (under /tmp, which anyone may create in, so the dataset is what fails)
      unprivileged(['train', 'data.csv', '--out', path.join(os.tmpdir(), `textcat-never-${process.pid}`), ...SMALL]),
      1,
      /^textcat: data\.csv: cannot be read: permission denied/,
    );
    fs.chmodSync(path.join(ws.cwd, 'data.csv'), 0o644);
    const locked = path.join(ws.cwd, 'locked');
    fs.mkdirSync(locked, { mode: 0o555 });
    fs.chmodSync(locked, 0o555);
    expectFailure(
      unprivileged(['train', 'data.csv', '--out', path.join(locked, 'model'), ...SMALL]),
      1,
      new RegExp(`^textcat: ${escapeRegExp(locked)}: cannot be written: permission denied`),
    );
    fs.chmodSync(locked, 0o755);
  });
});

describe('hostile CLI: wrong or unclear messages', () => {
  it('UTF-16 without a BOM is named UTF-16 with the iconv hint (it was "binary")', () => {
    const ws = workspace();
    fs.writeFileSync(path.join(ws.cwd, 'u16.csv'), Buffer.from(trainingCsv(), 'utf16le'));
    expectFailure(
      run(ws.cwd, 'train', 'u16.csv', '--out', 'new', ...SMALL),
      1,
      /^textcat: u16\.csv: is not UTF-8 \(it looks like UTF-16LE\); .*iconv -f UTF-16LE/,
    );
  });

  it('all-NUL input and /dev/zero are "binary" and "a character device", not "UTF-32BE"', () => {
    const ws = workspace();
    fs.writeFileSync(path.join(ws.cwd, 'zeros.csv'), Buffer.alloc(100_000));
    expectFailure(run(ws.cwd, 'train', 'zeros.csv', '--out', 'new', ...SMALL), 1, /^textcat: zeros\.csv:1: looks like a binary file/);
    expectFailure(run(ws.cwd, 'train', '/dev/zero', '--out', 'new', ...SMALL), 1, /^textcat: \/dev\/zero: is a character device/);
  });

  it('labels "__proto__", "constructor", "toString" count right in textcat.json and come back from predict', () => {
    const ws = workspace();
    const csv = [trainingCsv(['__proto__', 'constructor']), ...['a b', 'c d', 'e f'].map((t) => `${t},toString\n`)].join('');
    fs.writeFileSync(path.join(ws.cwd, 'proto.csv'), csv);
    const r = run(ws.cwd, 'train', 'proto.csv', '--out', 'proto-model', ...SMALL, '--validation-split', '0');
    assert.equal(r.status, 0, r.stderr);
    const manifest = JSON.parse(fs.readFileSync(path.join(ws.cwd, 'proto-model', 'textcat.json'), 'utf8')) as {
      dataset: { classCounts: object };
    };
    assert.deepEqual(Object.entries(manifest.dataset.classCounts).sort(), [
      ['__proto__', 12],
      ['constructor', 12],
      ['toString', 3],
    ]);
    const p = run(ws.cwd, 'predict', 'proto-model', '-', '--json');
    assert.equal(p.status, 0, p.stderr);
  });

  it('labels with terminal escape sequences are escaped in messages (stderr) and on a terminal (stdout)', () => {
    const ws = workspace();
    const clear = '\x1b[2J';
    const title = '\x1b]0;pwned\x07';
    fs.writeFileSync(path.join(ws.cwd, 'esc.csv'), trainingCsv([clear, title]));
    const r = run(ws.cwd, 'train', 'esc.csv', '--out', 'esc-model', '--hidden-units', '8', '--embedding-dim', '8', '--epochs', '1');
    assert.equal(r.status, 0, r.stderr);
    fs.writeFileSync(path.join(ws.cwd, 'other.csv'), trainingCsv(['\x9b31m', 'plain']));
    const e = run(ws.cwd, 'eval', 'esc-model', 'other.csv');
    assert.equal(e.status, 0, e.stderr);
    assert.match(e.stderr, /warning: label "\\x9b31m" is not one the model knows/);
    for (const out of [r.stderr, e.stderr]) {
      for (const raw of ['\u001b', '\u0007', '\u009b']) assert.ok(!out.includes(raw), 'a raw control character reached stderr');
    }
    const hasScript = spawnSync('script', ['--version']).status === 0;
    if (hasScript) {
      const tty = spawnSync('script', ['-qec', `${shellQuote(process.execPath)} ${shellQuote(CLI)} eval esc-model esc.csv`, '/dev/null'], {
        cwd: ws.cwd,
        encoding: 'utf8',
      });
      assert.match(tty.stdout, /\\x1b\[2J/, tty.stdout);
      assert.ok(!tty.stdout.includes(clear) && !tty.stdout.includes('\u0007'), 'a raw escape sequence reached the terminal');
    }
  });

  for (const args of [
    ['predict', 'nothere', 'data.csv'],
    ['eval', 'nothere', 'data.csv'],
    ['export', 'nothere'],
    ['predict', 'sub/nothere', 'data.csv'],
  ]) {
    it(`${args.join(' ')}: "${args[1]}: does not exist", exit 1 (it blamed ${args[1]}/textcat.json as "not a Textcat model")`, () => {
      const ws = workspace();
      const r = run(ws.cwd, ...args);
      expectFailure(r, 1, new RegExp(`^textcat: ${escapeRegExp(args[1])}: does not exist`));
      assert.doesNotMatch(r.stderr, /textcat\.json/);
      unchanged(ws.cwd, ws.before);
    });
  }

  it('a model error names the folder and the file (textcat.json with a bad option)', () => {
    const ws = workspace();
    editJson(path.join(ws.model, 'textcat.json'), (j) => Object.assign(j.options as object, { threads: 64 }));
    expectFailure(
      run(ws.cwd, 'predict', 'model', 'data.csv'),
      1,
      /^textcat: model\/textcat\.json: option threads must be an integer from 1 to 16, got 64/,
    );
  });

  for (const args of [
    ['--epochs', '0'],
    ['--epochs', '1.5'],
    ['--threads', '64'],
    ['--dropout', '0.95'],
    ['--learning-rate', 'abc'],
    ['--vocab-size', '1e9'],
    ['--token-mode', 'sentence'],
    ['--class-weights', 'yes'],
  ]) {
    it(`${args.join(' ')}: exit 2 (bad usage), naming the flag, before anything is read`, () => {
      const ws = workspace();
      const r = run(ws.cwd, 'train', 'missing.csv', '--out', 'new', ...args);
      expectFailure(r, 2, new RegExp(`^textcat: ${escapeRegExp(args[0])} must be`));
      unchanged(ws.cwd, ws.before);
    });
  }
});
