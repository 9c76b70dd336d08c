// The CLI's npm package (cli/package.json, scripts/pack-cli.mjs): the tarball holds exactly what the CLI runs,
// and every command works from it unpacked in a folder far from this checkout, with no node_modules (the
// bundles are self-contained); each runtime file in it is needed. Packs from the existing dist/ (npm run
// build first): rebuilding here would rewrite dist/cli.js under the other tests that run it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CLI } from '../shared/fixtureModels';

const ROOT = path.resolve(__dirname, '../..');
const RUNTIME = ['dist/cli.js', 'dist/gradient-worker.js', 'dist/tfjs-backend-wasm-simd.wasm'];
const PACKED = ['LICENSE', 'README.md', 'package.json', ...RUNTIME].sort();

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  bin?: Record<string, string>;
  files?: string[];
  scripts?: Record<string, string>;
}

const manifest = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8')) as Manifest;

let work: string;

before(() => {
  assert.ok(fs.existsSync(CLI), `${CLI} is missing: run \`npm run build\` before these tests (npm test does it)`);
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'textcat-package-'));
});

after(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

function run(command: string, args: string[], cwd: string) {
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 120_000 });
  if (r.error) throw r.error;
  return r;
}

function expectOk(r: ReturnType<typeof run>, what: string): string {
  assert.equal(r.status, 0, `${what}: exit ${r.status}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`);
  return r.stdout;
}

function filesUnder(folder: string): string[] {
  return fs
    .readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(folder, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
}

describe('the CLI package manifest', () => {
  const root = manifest(path.join(ROOT, 'package.json'));
  const cli = manifest(path.join(ROOT, 'cli/package.json'));

  it('has the root version (the CLI prints the root one), its own name, and the bin textcat', () => {
    assert.equal(cli.version, root.version);
    assert.notEqual(cli.name, root.name);
    assert.deepEqual(cli.bin, { textcat: 'dist/cli.js' });
    assert.equal(cli.private, undefined, 'the CLI package is the one meant for npm');
  });

  it('lists exactly the runtime files, the README and the LICENSE', () => {
    assert.deepEqual(
      [...(cli.files ?? [])].sort(),
      PACKED.filter((f) => f !== 'package.json'),
    );
  });

  it('the root manifest (the extension) cannot be published to npm by mistake, and keeps bin for npx in a checkout', () => {
    assert.equal(root.private, true);
    assert.deepEqual(root.bin, { textcat: 'dist/cli.js' });
    assert.equal(root.files, undefined, 'vsce refuses a files list beside .vscodeignore');
    assert.match(fs.readFileSync(path.join(ROOT, '.vscodeignore'), 'utf8'), /^cli\/\*\*$/m, 'the VSIX leaves cli/ out');
  });
});

describe('keeping the versions equal', () => {
  it('packing refuses a cli/package.json whose version differs from the root; --sync-version (run by npm version) fixes it', () => {
    const tree = path.join(work, 'versions');
    fs.mkdirSync(path.join(tree, 'scripts'), { recursive: true });
    fs.mkdirSync(path.join(tree, 'cli'));
    fs.copyFileSync(path.join(ROOT, 'scripts/pack-cli.mjs'), path.join(tree, 'scripts/pack-cli.mjs'));
    fs.writeFileSync(path.join(tree, 'package.json'), JSON.stringify({ name: 'root', version: '9.8.7' }));
    const cliManifest = fs.readFileSync(path.join(ROOT, 'cli/package.json'), 'utf8');
    fs.writeFileSync(path.join(tree, 'cli/package.json'), cliManifest);
    const script = path.join(tree, 'scripts/pack-cli.mjs');
    const refused = run(process.execPath, [script, '--stage', '--no-build'], tree);
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /cli\/package\.json is version \S+ but package\.json is 9\.8\.7/);
    expectOk(run(process.execPath, [script, '--sync-version'], tree), 'sync');
    const synced = fs.readFileSync(path.join(tree, 'cli/package.json'), 'utf8');
    assert.equal(manifest(path.join(tree, 'cli/package.json')).version, '9.8.7');
    assert.equal(synced, cliManifest.replace(/"version": "[^"]+"/, '"version": "9.8.7"'), 'only the version changed');
    assert.equal(
      manifest(path.join(ROOT, 'package.json')).scripts?.version,
      'node scripts/pack-cli.mjs --sync-version && git add cli/package.json',
    );
  });
});

describe('the packed CLI', () => {
  let tarball: string;
  let pkg: string;
  let cli: string;
  const textcat = (args: string[], cwd = work) => run(process.execPath, [cli, ...args], cwd);

  before(() => {
    const packs = path.join(work, 'packs');
    tarball = expectOk(run(process.execPath, [path.join(ROOT, 'scripts/pack-cli.mjs'), '--no-build', '--out', packs], ROOT), 'pack').trim();
    const unpacked = path.join(work, 'unpacked');
    fs.mkdirSync(unpacked);
    expectOk(run('tar', ['-xzf', tarball, '-C', unpacked], work), 'tar');
    pkg = path.join(unpacked, 'package');
    cli = path.join(pkg, 'dist/cli.js');
    const rows = [
      'good great happy',
      'great wonderful day',
      'happy lovely good',
      'bad awful sad',
      'awful terrible day',
      'sad horrible bad',
    ];
    const labels = ['pos', 'pos', 'pos', 'neg', 'neg', 'neg'];
    const csv = rows.map((t, i) => `${t},${labels[i]}`);
    fs.writeFileSync(path.join(work, 'data.csv'), `text,label\n${[...csv, ...csv, ...csv].join('\n')}\n`);
    fs.writeFileSync(path.join(work, 'app.log'), 'good day\nawful pain\n');
  });

  it('is named <name>-<version>.tgz and holds exactly package.json, README.md, LICENSE and the runtime files', () => {
    const { name, version } = manifest(path.join(ROOT, 'cli/package.json'));
    assert.equal(path.basename(tarball), `${name}-${version}.tgz`);
    assert.deepEqual(filesUnder(pkg), PACKED);
    assert.doesNotMatch(fs.readFileSync(cli, 'utf8').slice(-500), /sourceMappingURL/, 'a link to a source map that is not shipped');
  });

  it('--version prints the package version', () => {
    assert.equal(expectOk(textcat(['--version']), 'version'), `${manifest(path.join(pkg, 'package.json')).version}\n`);
  });

  it('train (two threads), eval, predict and export run from the unpacked package, with no node_modules', () => {
    assert.ok(!fs.existsSync(path.join(work, 'node_modules')) && !fs.existsSync(path.join(pkg, 'node_modules')));
    const small = ['--hidden-units', '8', '--embedding-dim', '8', '--epochs', '2', '--threads', '2', '--quiet'];
    expectOk(textcat(['train', 'data.csv', '--out', 'model', ...small]), 'train');
    const evaluation = JSON.parse(expectOk(textcat(['eval', 'model', 'data.csv', '--json']), 'eval')) as { accuracy: number };
    assert.ok(evaluation.accuracy >= 0 && evaluation.accuracy <= 1);
    const predictions = expectOk(textcat(['predict', 'model', 'app.log']), 'predict')
      .trim()
      .split('\n');
    assert.equal(predictions.length, 2);
    for (const line of predictions) assert.match(line, /^\d\t(pos|neg)\t[01]\.\d{3}\t/);
    expectOk(textcat(['export', 'model', '--out', 'model.onnx']), 'export');
    assert.ok(fs.statSync(path.join(work, 'model.onnx')).size > 0);
    assert.ok(fs.existsSync(path.join(work, 'model.tokenizer.json')));
  });

  it('needs the wasm binary it ships: without it, training fails', () => {
    const copy = path.join(work, 'without-wasm');
    fs.cpSync(pkg, copy, { recursive: true });
    fs.rmSync(path.join(copy, 'dist/tfjs-backend-wasm-simd.wasm'));
    const r = run(
      process.execPath,
      [path.join(copy, 'dist/cli.js'), 'train', 'data.csv', '--out', 'never', '--epochs', '1', '--quiet'],
      work,
    );
    assert.notEqual(r.status, 0, 'training worked without the wasm binary: it need not be shipped');
    assert.ok(!fs.existsSync(path.join(work, 'never')));
  });

  it('needs the thread bundle it ships: training on two threads starts its helper and its baseline from dist/gradient-worker.js', () => {
    // Without the bundle, chunks would run in turn on the main thread (same results, half the speed), so its
    // use is seen by recording the worker threads started, from a preloaded hook.
    const log = path.join(work, 'workers.log');
    const hook = path.join(work, 'record-workers.cjs');
    fs.writeFileSync(
      hook,
      `const threads = require('node:worker_threads');
const Original = threads.Worker;
threads.Worker = class extends Original {
  constructor(file, options) {
    require('node:fs').appendFileSync(${JSON.stringify(log)}, String(file) + '\\n');
    super(file, options);
  }
};
`,
    );
    const args = ['--require', hook, cli, 'train', 'data.csv', '--out', 'threads-model', '--epochs', '1', '--threads', '2', '--quiet'];
    expectOk(run(process.execPath, args, work), 'train --threads 2');
    // The gradient helper, and the linear baseline's own thread (core/baseline/thread.ts).
    const helper = path.join(pkg, 'dist/gradient-worker.js');
    assert.deepEqual(fs.readFileSync(log, 'utf8').trim().split('\n'), [helper, helper]);
  });

  it('installs as a global command: npm puts textcat on the PATH, executable', () => {
    const prefix = path.join(work, 'prefix');
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const install = spawnSync(npm, ['install', '--global', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', tarball], {
      cwd: work,
      encoding: 'utf8',
      timeout: 120_000,
      shell: process.platform === 'win32',
    });
    expectOk(install, 'npm install --global');
    const bin = process.platform === 'win32' ? path.join(prefix, 'textcat.cmd') : path.join(prefix, 'bin', 'textcat');
    const r = spawnSync(bin, ['--version'], { encoding: 'utf8', shell: process.platform === 'win32' });
    assert.equal(expectOk(r, 'textcat --version'), `${manifest(path.join(ROOT, 'cli/package.json')).version}\n`);
  });
});
