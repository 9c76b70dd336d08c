// `textcat export --format onnx` as a user meets it: the built CLI exports fixture models (trained here), and
// a real runtime, onnxruntime-web's WebAssembly build in this process, must give `textcat predict --json`'s
// probabilities; Debian's onnx checker must accept the file; bad model folders and destinations are refused.
// Needs `npm run build` first (npm test does it).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ort from 'onnxruntime-web';
import { onnx } from 'onnx-proto';
import { Tokenizer } from '../../src/core/text/tokenizer';
import {
  assertBothPathsWeigh,
  assertConfident,
  assertSamePredictions,
  cliPredictions,
  expectExit,
  MAX_LENGTH,
  MIXED_LINES,
  MODEL_KINDS,
  textcat,
  trainFixtureModels,
  UNKNOWN_LINE,
  type FixtureModels,
  type Prediction,
} from '../shared/fixtureModels';
import { requirePython, runPython } from '../shared/python';

let models: FixtureModels;

before(() => {
  models = trainFixtureModels(fs.mkdtempSync(path.join(os.tmpdir(), 'textcat-export-')));
});

after(() => {
  if (models) fs.rmSync(models.dir, { recursive: true, force: true });
});

interface Exported {
  onnx: string;
  tokenizer: string;
}

function exportModel(modelDir: string, out: string): Exported {
  const r = textcat(['export', modelDir, '--format', 'onnx', '--out', out, '--json'], models.dir);
  expectExit(r, 0);
  const result = JSON.parse(r.stdout) as Exported;
  assert.equal(result.onnx, path.resolve(models.dir, out));
  assert.equal(result.tokenizer, path.resolve(models.dir, out.replace(/\.onnx$/, '.tokenizer.json')));
  return result;
}

function tokenizerOf(modelDir: string): Tokenizer {
  const manifest = JSON.parse(fs.readFileSync(path.join(modelDir, 'textcat.json'), 'utf8')) as { tokenizer: unknown };
  return Tokenizer.fromJSON(manifest.tokenizer);
}

/**
 * Probabilities [lines, K] from ONNX Runtime, the lines tokenized by the model's own tokenizer; with a wide
 * path, each row's n-gram ids then padding (0) to the longest row's count (at least one column).
 */
async function onnxProbabilities(file: string, modelDir: string, lines: string[]): Promise<number[][]> {
  const tokenizer = tokenizerOf(modelDir);
  const encoded = lines.map((line) => tokenizer.encodeLine(line));
  const ids = new BigInt64Array(lines.length * MAX_LENGTH);
  encoded.forEach(({ tokens }, row) => tokens.forEach((id, i) => (ids[row * MAX_LENGTH + MAX_LENGTH - tokens.length + i] = BigInt(id))));
  const feeds: Record<string, ort.Tensor> = { token_ids: new ort.Tensor('int64', ids, [lines.length, MAX_LENGTH]) };
  if (tokenizer.ngrams) {
    const width = Math.max(1, ...encoded.map((e) => e.ngrams.length));
    const ngramIds = new BigInt64Array(lines.length * width);
    encoded.forEach(({ ngrams }, row) => ngrams.forEach((id, i) => (ngramIds[row * width + i] = BigInt(id))));
    feeds.ngram_ids = new ort.Tensor('int64', ngramIds, [lines.length, width]);
  }
  const session = await ort.InferenceSession.create(fs.readFileSync(file));
  try {
    const output = await session.run(feeds, ['probabilities']);
    const data = output.probabilities.data as Float32Array;
    const K = labelsOf(modelDir).length;
    return lines.map((_, row) => Array.from(data.subarray(row * K, (row + 1) * K)));
  } finally {
    await session.release();
  }
}

function asPredictions(probabilities: number[][], labels: string[]): Prediction[] {
  return probabilities.map((p, i) => ({
    line: i + 1,
    label: labels[p.indexOf(Math.max(...p))],
    probabilities: Object.fromEntries(labels.map((l, k) => [l, p[k]])),
  }));
}

function labelsOf(modelDir: string): string[] {
  return (JSON.parse(fs.readFileSync(path.join(modelDir, 'textcat.json'), 'utf8')) as { labels: string[] }).labels;
}

/** name → sha256 of every file in a folder. */
function snapshot(folder: string): Record<string, string> {
  return Object.fromEntries(
    fs.readdirSync(folder).map((name) => {
      const file = path.join(folder, name);
      return [name, fs.statSync(file).isFile() ? createHash('sha256').update(fs.readFileSync(file)).digest('hex') : 'folder'];
    }),
  );
}

for (const kind of MODEL_KINDS) {
  describe(`ONNX export of a ${kind} model`, () => {
    let exported: Exported;
    let cli: Prediction[];

    before(() => {
      exported = exportModel(models[kind], `${kind}.onnx`);
      cli = cliPredictions(models, models[kind]);
    });

    it("gives predict --json's probabilities within 1e-5 in ONNX Runtime, for one batch mixing lengths", async () => {
      assertConfident(cli);
      assertBothPathsWeigh(models[kind]);
      const onnxRun = await onnxProbabilities(exported.onnx, models[kind], MIXED_LINES);
      assertSamePredictions(asPredictions(onnxRun, labelsOf(models[kind])), cli, 1e-5);
    });

    it('gives each line alone what it gives it in the batch (padding is masked per row)', async () => {
      const batch = await onnxProbabilities(exported.onnx, models[kind], MIXED_LINES);
      for (const [i, line] of MIXED_LINES.entries()) {
        const [alone] = await onnxProbabilities(exported.onnx, models[kind], [line]);
        alone.forEach((p, k) => assert.ok(Math.abs(p - batch[i][k]) < 1e-6, `${line}: ${p} vs ${batch[i][k]}`));
      }
    });

    if (kind.startsWith('wide')) {
      it('has lines without n-gram ids in that batch: no tokens, and tokens none of whose n-grams it knows', () => {
        const tokenizer = tokenizerOf(models[kind]);
        assert.deepEqual(tokenizer.encodeLine('!!! ...'), { tokens: [], ngrams: [] });
        const unknown = tokenizer.encodeLine(UNKNOWN_LINE);
        assert.deepEqual(unknown, { tokens: [1, 1], ngrams: [] });
        assert.ok(MIXED_LINES.includes(UNKNOWN_LINE));
      });
    }
  });
}

for (const kind of ['bidirectional', 'wideBidirectional'] as const) {
  const wide = kind === 'wideBidirectional';
  describe(`the exported files (${kind})`, () => {
    let exported: Exported;
    let model: onnx.ModelProto;

    before(() => {
      exported = exportModel(models[kind], `described-${kind}.onnx`);
      model = onnx.ModelProto.decode(fs.readFileSync(exported.onnx));
    });

    it(`declare opset 13, int64 token_ids [batch, maxLength]${wide ? ' and ngram_ids [batch, n]' : ''} in, float probabilities [batch, classes] out`, () => {
      assert.deepEqual(
        model.opsetImport.map((o) => [o.domain, Number(o.version)]),
        [['', 13]],
      );
      const shapeOf = (v: onnx.IValueInfoProto) => v.type?.tensorType?.shape?.dim?.map((d) => d.dimParam || Number(d.dimValue));
      const graph = model.graph!;
      assert.deepEqual(
        graph.input!.map((i) => [i.name, i.type?.tensorType?.elemType, shapeOf(i)]),
        [
          ['token_ids', onnx.TensorProto.DataType.INT64, ['batch', MAX_LENGTH]],
          ...(wide ? [['ngram_ids', onnx.TensorProto.DataType.INT64, ['batch', 'ngrams']]] : []),
        ],
      );
      const [output] = graph.output!;
      assert.equal(output.name, 'probabilities');
      assert.equal(output.type?.tensorType?.elemType, onnx.TensorProto.DataType.FLOAT);
      assert.deepEqual(shapeOf(output), ['batch', 3]);
      assert.ok(graph.node!.some((n) => n.opType === 'LSTM'));
      assert.equal(graph.output!.length, wide ? 2 : 1);
    });

    it('carry the labels and the tokenizer in the metadata and in <name>.tokenizer.json', () => {
      const meta: Record<string, string> = Object.fromEntries(model.metadataProps.map((p) => [p.key ?? '', p.value ?? '']));
      const manifest = JSON.parse(fs.readFileSync(path.join(models[kind], 'textcat.json'), 'utf8')) as {
        labels: string[];
        tokenizer: { ngrams?: { hashes: number[] } };
        combination?: unknown;
      };
      assert.deepEqual(JSON.parse(meta['textcat.labels']), manifest.labels);
      const { ngrams, ...tokenizer } = manifest.tokenizer;
      const metaTokenizer = JSON.parse(meta['textcat.tokenizer']) as typeof manifest.tokenizer;
      assert.deepEqual({ ...metaTokenizer, ngrams: undefined }, { ...tokenizer, ngrams: undefined });
      assert.deepEqual(JSON.parse(meta['textcat.inputs']), wide ? ['token_ids', 'ngram_ids'] : ['token_ids']);
      assert.deepEqual(meta['textcat.combination'] && JSON.parse(meta['textcat.combination']), manifest.combination);
      const file = JSON.parse(fs.readFileSync(exported.tokenizer, 'utf8')) as Record<string, unknown> & {
        ngrams?: Record<string, unknown>;
      };
      assert.equal(file.format, 'textcat-tokenizer');
      assert.deepEqual(file.labels, manifest.labels);
      assert.equal(file.input, 'token_ids');
      assert.equal(file.output, 'probabilities');
      if (wide) {
        const description = { input: 'ngram_ids', count: ngrams!.hashes.length, hashesOutput: 'ngram_hashes' };
        assert.deepEqual(metaTokenizer.ngrams, { ...metaTokenizer.ngrams, ...description });
        assert.deepEqual(file.ngrams, { ...metaTokenizer.ngrams, hashes: ngrams!.hashes });
      } else {
        assert.equal(ngrams, undefined);
        assert.equal(file.ngrams, undefined);
      }
      // Every field and metadata key a reader meets is in the specification's tables.
      const spec = fs.readFileSync(path.resolve(__dirname, '../../docs/tokenizer.md'), 'utf8');
      const nested = (prefix: string, value: unknown) => Object.keys(value ?? {}).map((k) => `${prefix}.${k}`);
      const fields = [...Object.keys(file), ...nested('config', file.config), ...nested('ngrams', file.ngrams)];
      for (const name of [...fields, ...Object.keys(meta)]) assert.ok(spec.includes(`\`${name}\``), `docs/tokenizer.md describes ${name}`);
      const saved = Tokenizer.fromJSON(manifest.tokenizer);
      const fromFile = Tokenizer.fromJSON(file);
      assert.equal(fromFile.version, 2);
      assert.deepEqual(fromFile.vocab, saved.vocab);
      for (const line of MIXED_LINES) assert.deepEqual(fromFile.encodeLine(line), saved.encodeLine(line));
    });

    if (wide) {
      it('give the n-gram vocabulary as a constant output, ngram_hashes (uint32), in a runtime alone', async () => {
        const session = await ort.InferenceSession.create(fs.readFileSync(exported.onnx));
        try {
          const feeds = {
            token_ids: new ort.Tensor('int64', new BigInt64Array(MAX_LENGTH), [1, MAX_LENGTH]),
            ngram_ids: new ort.Tensor('int64', new BigInt64Array(1), [1, 1]),
          };
          const hashes = (await session.run(feeds, ['ngram_hashes'])).ngram_hashes;
          assert.equal(hashes.type, 'uint32');
          assert.deepEqual([...(hashes.data as Uint32Array)], tokenizerOf(models[kind]).ngrams!.hashes);
        } finally {
          await session.release();
        }
      });
    }

    it('hold the weights once: the file is weights.bin plus the metadata and a small graph', () => {
      const weights = fs.statSync(path.join(models[kind], 'weights.bin')).size;
      const metadata = model.metadataProps.reduce((n, p) => n + Buffer.byteLength(p.value ?? '') + (p.key ?? '').length, 0);
      const recurrentBias = 2 * 4 * 8 * 4; // ONNX's second bias, zero: 2 directions × 4 gates × 8 units × 4 bytes
      // With a wide path, the n-gram hashes (4 bytes each) take the place of the padding mask (4 bytes a row, one row more).
      const expected = weights + recurrentBias + metadata - (wide ? 4 : 0);
      const size = fs.statSync(exported.onnx).size;
      assert.ok(size >= expected, `${size} bytes`);
      assert.ok(size <= expected + (wide ? 4000 : 3000), `${size} bytes for ${weights} of weights and ${metadata} of metadata`);
    });

    it("pass the onnx package's checker (Debian python3-onnx)", (t) => {
      const python = requirePython(t, ['onnx'], 'apt-get install python3-onnx');
      if (!python) return;
      const r = runPython(python, [
        '-c',
        'import onnx, sys; onnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True); print("ok")',
        exported.onnx,
      ]);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout.trim(), 'ok');
    });

    it('run in the Node example (examples/node/predict-onnx.mjs) as predict --json does, without warnings', () => {
      const example = path.resolve(__dirname, '../../examples/node/predict-onnx.mjs');
      const r = spawnSync(process.execPath, [example, exported.onnx, models.linesFile], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stderr, '');
      assertSamePredictions(
        r.stdout
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as Prediction),
        cliPredictions(models, models[kind]),
        1e-5,
      );
    });
  });
}

it('a model saved before tokenizer versions (version 1, or none) loads, predicts as before and exports as version 1', () => {
  const old = path.join(models.dir, 'old');
  fs.cpSync(models.bidirectional, old, { recursive: true });
  const manifestFile = path.join(old, 'textcat.json');
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as { tokenizer: Record<string, unknown> };
  delete manifest.tokenizer.locale;
  for (const version of [1, undefined]) {
    manifest.tokenizer.version = version;
    fs.writeFileSync(manifestFile, JSON.stringify(manifest));
    assertSamePredictions(cliPredictions(models, old), cliPredictions(models, models.bidirectional), 0);
    const exported = exportModel(old, 'old.onnx');
    const file = JSON.parse(fs.readFileSync(exported.tokenizer, 'utf8')) as Record<string, unknown>;
    assert.equal(file.version, 1);
    assert.equal('locale' in file, false);
  }
});

describe('export refuses bad input and writes nothing', () => {
  let work: string;

  before(() => {
    work = fs.mkdtempSync(path.join(models.dir, 'refusals-'));
  });

  /** Runs export in `work` and checks the exit code, the message and that `work` did not change. */
  function refused(args: string[], code: number, message: RegExp): void {
    const before = snapshot(work);
    const r = textcat(['export', ...args], work);
    expectExit(r, code);
    assert.match(r.stderr, message);
    assert.equal(r.stdout, '');
    assert.deepEqual(snapshot(work), before, 'export wrote or changed files');
  }

  it('a missing model folder: exit 1, naming the folder', () => {
    refused([path.join(work, 'nowhere'), '--out', 'x.onnx'], 1, /nowhere: does not exist/);
  });

  it('a partial model folder (no weights.bin, or a cut weights.bin): exit 1', () => {
    const partial = path.join(work, 'partial');
    fs.cpSync(models.bidirectional, partial, { recursive: true });
    fs.rmSync(path.join(partial, 'weights.bin'));
    refused([partial, '--out', 'x.onnx'], 1, /weights\.bin: missing: the model is incomplete/);
    const cut = path.join(work, 'cut');
    fs.cpSync(models.bidirectional, cut, { recursive: true });
    fs.truncateSync(path.join(cut, 'weights.bin'), 100);
    refused([cut, '--out', 'x.onnx'], 1, /model\.json: .*weights\.bin hold 100 bytes but model\.json declares \d+ for their weights/);
  });

  it("a foreign folder (another tool's model.json and config): exit 1", () => {
    const foreign = path.join(work, 'foreign');
    fs.mkdirSync(foreign);
    fs.writeFileSync(path.join(foreign, 'model.json'), '{"format": "graph-model"}');
    refused([foreign, '--out', 'x.onnx'], 1, /this folder is not a Textcat model/);
    fs.writeFileSync(path.join(foreign, 'textcat.json'), '{"name": "something else"}');
    refused([foreign, '--out', 'x.onnx'], 1, /textcat\.json: has no formatVersion; it was not written by Textcat/);
  });

  it('a file at --out that is not an earlier export is left alone: exit 2', () => {
    fs.writeFileSync(path.join(work, 'notes.onnx'), 'my own notes');
    refused([models.bidirectional, '--out', 'notes.onnx'], 2, /notes\.onnx: exists and is not a Textcat export; not replacing it/);
    fs.writeFileSync(path.join(work, 'other.tokenizer.json'), '{"vocab": []}');
    refused([models.bidirectional, '--out', 'other.onnx'], 2, /other\.tokenizer\.json: exists and is not a Textcat export/);
    fs.mkdirSync(path.join(work, 'folder.onnx'));
    refused([models.bidirectional, '--out', 'folder.onnx'], 2, /folder\.onnx: is a folder/);
    refused([models.bidirectional, '--out', path.join('missing', 'x.onnx')], 2, /missing: no such folder/);
  });

  it('an earlier export at --out is replaced, atomically (no temp file left)', () => {
    const first = textcat(['export', models.unidirectional, '--out', 'again.onnx'], work);
    expectExit(first, 0);
    assert.match(
      first.stdout,
      /^Exported .* to again\.onnx \(\d+\.\d MB; weights\.bin \d+\.\d MB\) and again\.tokenizer\.json in \d+\.\d+ s\n$/,
    );
    const uni = fs.readFileSync(path.join(work, 'again.onnx'));
    expectExit(textcat(['export', models.bidirectional, '--out', 'again.onnx'], work), 0);
    assert.notDeepEqual(fs.readFileSync(path.join(work, 'again.onnx')), uni);
    assert.deepEqual(
      fs.readdirSync(work).filter((f) => f.includes('.tmp-')),
      [],
    );
  });

  it('bad usage: exit 2, one line and a pointer to export --help (issue 12)', () => {
    const pointer = "\nRun 'textcat export --help' for usage\\.\n$";
    refused(
      [models.bidirectional, '--format', 'tflite'],
      2,
      new RegExp(`^textcat: unknown --format "tflite" \\(supported: onnx\\)${pointer}`),
    );
    refused([], 2, new RegExp(`^textcat: export takes one model folder${pointer}`));
    refused([models.bidirectional, '--bogus'], 2, new RegExp(`^textcat: unknown option '--bogus'${pointer}`));
  });

  it('without --out, writes <model folder name>.onnx in the current folder', () => {
    const r = textcat(['export', models.unidirectional, '--json'], work);
    expectExit(r, 0);
    assert.equal((JSON.parse(r.stdout) as Exported).onnx, path.join(fs.realpathSync(work), 'uni.onnx'));
    assert.ok(fs.existsSync(path.join(work, 'uni.tokenizer.json')));
  });
});
