// The command line's conventions (issue 12), on the built dist/cli.js: every command has its own --help (-h,
// `textcat help <command>`) on stdout with exit 0; bad usage is one line on stderr plus a pointer to that
// help, exit 2, nothing on stdout; `textcat` alone lists the commands on stderr, exit 2; --version is
// package.json's. Needs `npm run build` first.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { OPTION_SPECS } from '../../src/core/options';
import { CLI, expectExit, textcat, type Run } from '../shared/fixtureModels';

const ROOT = path.resolve(__dirname, '../..');
const COMMANDS = ['train', 'eval', 'predict', 'export', 'check-labels', 'relabel', 'learning-curve'] as const;
const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

let dir: string;
const run = (...args: string[]): Run => textcat(args, dir);

before(() => {
  assert.ok(fs.existsSync(CLI), `${CLI} is missing: run \`npm run build\` before these tests (npm test does it)`);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'textcat-conventions-'));
  fs.writeFileSync(path.join(dir, 'data.csv'), 'text,label\ngood day,pos\nbad day,neg\n');
});

after(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** Exit 2, nothing on stdout, and on stderr exactly the message line and the pointer to the right --help. */
function expectUsageError(r: Run, message: RegExp, command?: string): void {
  expectExit(r, 2);
  assert.equal(r.stdout, '', 'bad usage printed on stdout');
  const lines = r.stderr.split('\n');
  assert.equal(lines.length, 3, `expected one message line and a pointer, got:\n${r.stderr}`);
  assert.match(lines[0], /^textcat: /);
  assert.match(lines[0], message);
  assert.equal(lines[1], `Run 'textcat ${command ? `${command} ` : ''}--help' for usage.`);
  assert.equal(lines[2], '');
}

describe('per-command help', () => {
  for (const command of COMMANDS) {
    it(`${command} --help, -h and help ${command} print the same usage of ${command} on stdout, exit 0`, () => {
      const long = run(command, '--help');
      expectExit(long, 0);
      assert.equal(long.stderr, '');
      assert.match(long.stdout, new RegExp(`^Usage: textcat ${command} `));
      assert.match(long.stdout, /\nOptions:\n/);
      assert.match(long.stdout, /Exit status: 0 success/);
      for (const other of COMMANDS.filter((c) => c !== command)) {
        assert.doesNotMatch(long.stdout, new RegExp(`Usage: textcat ${other}`), `${command}'s help shows ${other}'s usage`);
      }
      assert.equal(run(command, '-h').stdout, long.stdout);
      assert.equal(run('help', command).stdout, long.stdout);
    });
  }

  it('help wins over what else is wrong on the line (train --help used to say "train takes exactly one dataset")', () => {
    const plain = run('train', '--help').stdout;
    for (const args of [
      ['train', '--help', 'a.csv', 'b.csv'],
      ['train', '--no-such-flag', '-h'],
      ['train', '--epochs', 'abc', '--help'],
    ]) {
      const r = run(...args);
      expectExit(r, 0);
      assert.equal(r.stdout, plain, args.join(' '));
    }
  });

  it('train --help lists every training option with its default, from the options table', () => {
    const help = run('train', '--help').stdout;
    for (const [name, spec] of Object.entries(OPTION_SPECS)) {
      const flag = spec.kind === 'boolean' ? `--[no-]${kebab(name)}` : `--${kebab(name)} <`;
      assert.ok(help.includes(flag), `${flag} missing from train --help`);
    }
    for (const flag of [
      '--out <dir>',
      '--test <file>',
      '--text-column <column>',
      '--label-column <column>',
      '--format <format>',
      '--json',
    ]) {
      assert.ok(help.includes(flag), flag);
    }
  });

  it('predict --help says how tables, labeled datasets and several files are handled', () => {
    const help = run('predict', '--help').stdout;
    for (const part of ['--text-column', '--format <format>', 'lines', 'textcat eval', '<file>:<line>', '"file"', '--with-filename']) {
      assert.ok(help.includes(part), `${part} missing from predict --help`);
    }
  });

  it('help fits a 100-column terminal', () => {
    for (const command of COMMANDS) {
      for (const line of run(command, '--help').stdout.split('\n')) assert.ok(line.length <= 100, `${command}: ${line}`);
    }
  });

  it('textcat --help and textcat help list every command, on stdout, exit 0', () => {
    const r = run('--help');
    expectExit(r, 0);
    assert.equal(r.stderr, '');
    for (const command of COMMANDS) assert.match(r.stdout, new RegExp(`\\n  ${command} +\\S`), command);
    assert.equal(run('help').stdout, r.stdout);
    assert.equal(run('-h').stdout, r.stdout);
  });
});

describe('usage errors: one line on stderr and a pointer to --help, exit 2, stdout empty', () => {
  const cases: [string, string[], RegExp, string | undefined][] = [
    ['an unknown option', ['train', 'data.csv', '--foo'], /^textcat: unknown option '--foo'$/, 'train'],
    ['a near miss of an option', ['train', 'data.csv', '--epoch', '3'], /unknown option '--epoch' \(did you mean '--epochs'\?\)/, 'train'],
    ['an option without its value', ['train', 'data.csv', '--out'], /^textcat: option '--out' needs a value$/, 'train'],
    ['a value given to a switch', ['predict', 'model', '--json=yes'], /^textcat: option '--json' takes no value$/, 'predict'],
    [
      'a bad option value',
      ['train', 'data.csv', '--epochs', '0'],
      /^textcat: --epochs must be an integer from 1 to 1000, got "0"$/,
      'train',
    ],
    ['train without a dataset', ['train'], /^textcat: train needs a dataset$/, 'train'],
    ['train with two datasets', ['train', 'a.csv', 'b.csv'], /^textcat: train takes one dataset, got 2/, 'train'],
    ['eval without a dataset', ['eval', 'model'], /^textcat: eval needs a model folder and a dataset$/, 'eval'],
    ['predict without a model', ['predict'], /^textcat: predict needs a model folder/, 'predict'],
    ['predict --format folder', ['predict', 'model', 'x', '--format', 'folder'], /--format folder is for training/, 'predict'],
    [
      'predict --format xml',
      ['predict', 'model', 'x', '--format', 'xml'],
      /--format must be one of csv, tsv, jsonl, json, fasttext, lines/,
      'predict',
    ],
    [
      'predict --text-column on a log',
      ['predict', 'model', 'app.log', '--text-column', 'body'],
      /apply to tables .* app\.log is read line by line/,
      'predict',
    ],
    ['export without a model', ['export'], /^textcat: export takes one model folder$/, 'export'],
    ['an unknown command', ['frobnicate'], /^textcat: unknown command 'frobnicate'$/, undefined],
    ['a near miss of a command', ['evaluate', 'model', 'data.csv'], /unknown command 'evaluate' \(did you mean 'eval'\?\)/, undefined],
    ['help on an unknown command', ['help', 'frobnicate'], /^textcat: unknown command 'frobnicate'$/, undefined],
    ['an unknown option before any command', ['--foo'], /^textcat: unknown option '--foo'$/, undefined],
  ];
  for (const [what, args, message, command] of cases) {
    it(`${what}: ${args.join(' ')}`, () => expectUsageError(run(...args), message, command));
  }

  it('textcat with no arguments lists the commands on stderr (not the options of each), exit 2', () => {
    const r = run();
    expectExit(r, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^Usage: textcat <command> \[options\]\n/);
    for (const command of COMMANDS) assert.match(r.stderr, new RegExp(`\\n  ${command} +\\S`));
    assert.ok(r.stderr.split('\n').length < 15, 'the short usage is short');
    assert.doesNotMatch(r.stderr, /--epochs/);
  });
});

describe('--version', () => {
  it('--version and -v print package.json version, exit 0', () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-v']) {
      const r = run(flag);
      expectExit(r, 0);
      assert.equal(r.stdout, `${version}\n`);
      assert.equal(r.stderr, '');
    }
  });
});
