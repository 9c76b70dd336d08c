// The README's "Use your model elsewhere" commands, run as written (in a folder holding .textcat/model and
// app.log), so the README cannot drift from what works: each prediction command must print what
// `textcat predict --json` prints, for a model with the wide n-gram path (the default) and for the LSTM alone.
import { after, before, describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { assertSamePredictions, CLI, parseJsonLines, trainFixtureModels, type FixtureModels } from '../shared/fixtureModels';
import { pythonWith, requirePython } from '../shared/python';

const ROOT = path.resolve(__dirname, '../..');

/** The commands of the section's first sh block, without their comments. */
function readmeCommands(): string[] {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.split('\n## Use your model elsewhere\n')[1]?.split('\n## ')[0];
  assert.ok(section, 'README has no "Use your model elsewhere" section');
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  assert.ok(block, 'the section has no sh block');
  return block
    .split('\n')
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter(Boolean);
}

describe('README: Use your model elsewhere', () => {
  let models: FixtureModels;

  before(() => {
    models = trainFixtureModels(fs.mkdtempSync(path.join(os.tmpdir(), 'textcat-readme-')));
  });

  after(() => {
    if (models) fs.rmSync(models.dir, { recursive: true, force: true });
  });

  function run(cwd: string, words: string[], python?: string) {
    const [program, ...args] = words.map((w) => (/^(dist|examples|docs)\//.test(w) ? path.join(ROOT, w) : w));
    const executable = program === 'node' ? process.execPath : program === 'python3' ? python! : program;
    const r = spawnSync(executable, args, { cwd, encoding: 'utf8', env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
    assert.equal(r.status, 0, `${words.join(' ')}\n${r.stdout}\n${r.stderr}`);
    return r;
  }

  /** The Python for a command: skipped where its modules are missing (onnxruntime: everywhere but pip's). */
  function pythonFor(t: TestContext, command: string): string | undefined {
    if (command.includes('predict_onnx.py')) {
      const python = pythonWith(['numpy', 'icu', 'onnxruntime']);
      if (!python) t.skip('onnxruntime for Python is not installed (pip install onnxruntime)');
      return python;
    }
    return requirePython(t, ['numpy', 'icu'], 'apt-get install python3-numpy python3-icu');
  }

  it('lists the export, the Node and Python predictions and the tokenizer check', () => {
    const commands = readmeCommands().join('\n');
    for (const part of [
      'export .textcat/model --format onnx',
      'predict-onnx.mjs',
      'predict_onnx.py',
      'textcat_numpy.py',
      'textcat_tokenizer.py --check',
    ]) {
      assert.ok(commands.includes(part), part);
    }
  });

  for (const kind of ['wideBidirectional', 'unidirectional'] as const) {
    it(`every command runs as written, and each prediction equals predict --json (${kind})`, async (t) => {
      const folder = path.join(models.dir, kind);
      fs.cpSync(models[kind], path.join(folder, '.textcat', 'model'), { recursive: true });
      fs.copyFileSync(models.linesFile, path.join(folder, 'app.log'));
      const expected = parseJsonLines(run(folder, ['node', CLI, 'predict', '.textcat/model', 'app.log', '--json']).stdout);
      for (const command of readmeCommands()) {
        await t.test(command, (st) => {
          const words = command.split(/\s+/);
          const python = words[0] === 'python3' ? pythonFor(st, command) : undefined;
          if (words[0] === 'python3' && !python) return;
          const r = run(folder, words, python);
          if (/predict|numpy/.test(command)) assertSamePredictions(parseJsonLines(r.stdout), expected, 1e-5);
          if (command.includes('export')) assert.ok(fs.existsSync(path.join(folder, 'model.tokenizer.json')));
        });
      }
    });
  }
});
