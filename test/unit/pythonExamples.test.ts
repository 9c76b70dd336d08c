// The reference loaders in examples/python against the CLI: the PyICU tokenizer on the specification's test
// vectors, and the numpy forward pass on fixture models (trained here) against `textcat predict --json`.
// Python with python3-numpy and python3-icu is needed (.ci/run installs them; elsewhere the tests skip).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  assertBothPathsWeigh,
  assertConfident,
  assertSamePredictions,
  cliPredictions,
  expectExit,
  MODEL_KINDS,
  parseJsonLines,
  textcat,
  trainFixtureModels,
  type FixtureModels,
} from '../shared/fixtureModels';
import { pythonWith, requirePython, runPython } from '../shared/python';

const EXAMPLES = path.resolve(__dirname, '../../examples/python');
const VECTORS = path.resolve(__dirname, '../../docs/tokenizer-vectors.json');
const INSTALL = 'apt-get install python3-numpy python3-icu';

describe('the Python tokenizer (examples/python/textcat_tokenizer.py)', () => {
  it('passes the tokenizer test vectors with its ICU', (t) => {
    const python = requirePython(t, ['icu'], INSTALL);
    if (!python) return;
    const r = runPython(python, [path.join(EXAMPLES, 'textcat_tokenizer.py'), '--check', VECTORS]);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const cases = (JSON.parse(fs.readFileSync(VECTORS, 'utf8')) as { cases: unknown[] }).cases.length;
    assert.match(r.stdout, new RegExp(`^ICU [\\d.]+: ${cases} passed, 0 failed$`, 'm'));
  });
});

describe('the numpy forward pass (examples/python/textcat_numpy.py)', () => {
  let models: FixtureModels;

  before(() => {
    models = trainFixtureModels(fs.mkdtempSync(path.join(os.tmpdir(), 'textcat-python-')));
  });

  after(() => {
    if (models) fs.rmSync(models.dir, { recursive: true, force: true });
  });

  for (const kind of MODEL_KINDS) {
    it(`gives predict --json's labels and probabilities within 1e-5 (${kind})`, (t) => {
      const python = requirePython(t, ['numpy', 'icu'], INSTALL);
      if (!python) return;
      const cli = cliPredictions(models, models[kind]);
      assertConfident(cli);
      assertBothPathsWeigh(models[kind]);
      const r = runPython(python, [path.join(EXAMPLES, 'textcat_numpy.py'), models[kind], models.linesFile]);
      assert.equal(r.status, 0, r.stderr);
      assertSamePredictions(parseJsonLines(r.stdout), cli, 1e-5);
    });
  }

  for (const kind of ['bidirectional', 'wideBidirectional'] as const) {
    it(`runs the exported ONNX file in onnxruntime for Python (predict_onnx.py), where it is installed (${kind})`, (t) => {
      // onnxruntime for Python is not a Debian package, so CI has none: this one only runs where pip put it.
      const python = pythonWith(['numpy', 'icu', 'onnxruntime']);
      if (!python) return t.skip('onnxruntime for Python is not installed (pip install onnxruntime)');
      expectExit(textcat(['export', models[kind], '--out', `${kind}.onnx`], models.dir), 0);
      const r = runPython(python, [path.join(EXAMPLES, 'predict_onnx.py'), path.join(models.dir, `${kind}.onnx`), models.linesFile]);
      assert.equal(r.status, 0, r.stderr);
      assertSamePredictions(parseJsonLines(r.stdout), cliPredictions(models, models[kind]), 1e-5);
    });
  }
});
