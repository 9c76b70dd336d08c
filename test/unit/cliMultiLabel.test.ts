// The CLI's multi-label flags (--label-separator, --multi-label, --single-label) for train and eval: what they put
// in the DatasetSpec, what they refuse as bad usage, and what train says of a multi-label dataset. The spawned
// cases need `npm run build` first (npm test does it).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { datasetSpec } from '../../src/cli/datasetFlags';
import { UsageError } from '../../src/cli/usage';

const CLI = path.resolve(__dirname, '../../dist/cli.js');

let dir: string;

before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'textcat-cli-ml-'));
});

after(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function textcat(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  if (r.error) throw r.error;
  return r;
}

describe('datasetSpec: the multi-label flags', () => {
  it('passes the separator and either force into the spec, and nothing when they are not given', () => {
    assert.deepEqual(datasetSpec('a.csv', { 'label-separator': ';', 'multi-label': true }, 'train'), {
      path: 'a.csv',
      format: undefined,
      textColumn: undefined,
      labelColumn: undefined,
      labelSeparator: ';',
      multiLabel: true,
    });
    assert.equal(datasetSpec('a.csv', { 'single-label': true }, 'eval').multiLabel, false);
    const plain = datasetSpec('a.csv', {}, 'train');
    assert.ok(!('multiLabel' in plain) && !('labelSeparator' in plain), 'guessed: neither key');
  });

  it('refuses contradictions and an empty separator as bad usage naming the command', () => {
    const usage = (values: Record<string, unknown>, message: RegExp) =>
      assert.throws(
        () => datasetSpec('a.csv', values, 'eval'),
        (e: unknown) => e instanceof UsageError && e.command === 'eval' && message.test(e.message),
      );
    usage({ 'multi-label': true, 'single-label': true }, /--multi-label and --single-label contradict each other/);
    usage({ 'label-separator': '' }, /--label-separator needs a non-empty value/);
    usage({ 'label-separator': ';', 'single-label': true }, /--label-separator splits labels, which --single-label turns off/);
  });
});

describe('textcat train/eval with the multi-label flags', () => {
  const rows = ['sunny warm day,joy|weather', 'rain again today,weather', 'what a goal,sport|joy', 'boring match,sport'];
  const csv = () => {
    const file = path.join(dir, 'emotions.csv');
    const body = Array.from({ length: 5 }, (_, i) => rows.map((row) => row.replace(',', ` ${i},`))).flat();
    fs.writeFileSync(file, `text,labels\n${body.join('\n')}\n`);
    return file;
  };

  it('--help lists the three flags for train and eval', () => {
    for (const command of ['train', 'eval']) {
      const help = textcat([command, '--help']).stdout;
      for (const flag of ['--label-separator <s>', '--multi-label', '--single-label'])
        assert.ok(help.includes(flag), `${command}: ${flag}`);
    }
  });

  it('--multi-label with --single-label exits 2 before anything is read', () => {
    for (const args of [
      ['train', 'missing.csv', '--multi-label', '--single-label'],
      ['eval', 'no-model', 'missing.csv', '--single-label', '--multi-label'],
    ]) {
      const r = textcat(args);
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, /--multi-label and --single-label contradict each other/);
      assert.match(r.stderr, new RegExp(`Run 'textcat ${args[0]} --help' for usage\\.`));
    }
  });

  it('train says the dataset is multi-label and the separator it split on; --single-label says nothing of it', () => {
    const file = csv();
    const fast = ['--epochs', '1', '--hidden-units', '8', '--embedding-dim', '8'];
    const multi = textcat(['train', file, '--out', path.join(dir, 'multi'), ...fast]);
    assert.equal(multi.status, 0, multi.stderr);
    assert.match(multi.stderr, /20 rows, 3 classes, multi-label \(labels split on "\|"\); text column "text", label column "labels"/);
    const other = path.join(dir, 'semicolons.csv');
    fs.writeFileSync(other, fs.readFileSync(file, 'utf8').replaceAll('|', ';'));
    const semicolons = textcat(['train', other, '--label-separator', ';', '--out', path.join(dir, 'semi'), ...fast]);
    assert.equal(semicolons.status, 0, semicolons.stderr);
    assert.match(semicolons.stderr, /multi-label \(labels split on ";"\)/);
    const single = textcat(['train', file, '--single-label', '--out', path.join(dir, 'single'), ...fast]);
    assert.equal(single.status, 0, single.stderr);
    assert.match(single.stderr, /20 rows, 4 classes; text column/, 'the "|" stays inside the labels: four classes');
    assert.doesNotMatch(single.stderr, /multi-label/);
  });
});
