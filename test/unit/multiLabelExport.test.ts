// Multi-label models (issue 19) in every export and reference loader: the same network as a single-label model
// with a sigmoid per class instead of the softmax. Four seeded models (saveSyntheticModel, written as training
// writes a multi-label model: shape.multiLabel, textcat.json's multiLabel and thresholds) are exported to ONNX and
// run in ONNX Runtime, loaded by stock tfjs, and run by the Node and Python reference loaders; each must give the
// sigmoid of the logits of Textcat's forward pass, and the classes at or over the thresholds.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ort from 'onnxruntime-web';
import { onnx } from 'onnx-proto';
import { initBackend, tf } from '../../src/core/backend';
import { exportOnnx } from '../../src/core/export/exportModel';
import type { Classifier } from '../../src/core/predict';
import { loadLayers, loadModel } from '../../src/core/store/modelStore';
import { padLeft } from '../../src/core/text/tokenizer';
import { TextcatError } from '../../src/core/types';
import { pythonWith, requirePython, runPython } from '../shared/python';
import {
  SAVED_MAX_LENGTH,
  saveSyntheticModel,
  savedModelLines,
  sigmoidOfLogits,
  syntheticClassifier,
  type SavedModelSpec,
} from '../shared/savedModels';

const LABELS = ['billing', 'bug', 'feature', 'question'];
const LINES = savedModelLines(40, 7);
const TOLERANCE = 1e-5;
/** One threshold for every class, given with --threshold: most lines get fewer classes, some none. */
const HIGH = 0.9;
const KINDS: (Omit<SavedModelSpec, 'labels'> & { name: string })[] = [
  { name: 'bidirectional', bidirectional: true, wide: false, seed: 61 },
  { name: 'unidirectional', bidirectional: false, wide: false, seed: 62 },
  { name: 'wide bidirectional', bidirectional: true, wide: true, seed: 63 },
  { name: 'wide unidirectional', bidirectional: false, wide: true, seed: 64 },
];

/** Per class, a threshold in the widest gap between the middle half of its probabilities, so label sets vary. */
function thresholdsBetween(probabilities: number[][]): number[] {
  return LABELS.map((_, k) => {
    const sorted = probabilities.map((p) => p[k]).sort((a, b) => a - b);
    let at = Math.floor(sorted.length / 4);
    for (let i = at; i < Math.ceil((3 * sorted.length) / 4); i++) if (sorted[i + 1] - sorted[i] > sorted[at + 1] - sorted[at]) at = i;
    assert.ok(sorted[at + 1] - sorted[at] > 1e-3, `class ${k}: no gap to put a threshold in`);
    return Math.fround((sorted[at] + sorted[at + 1]) / 2);
  });
}

/** The classes at or over their thresholds, most probable first. */
function labelsOver(p: number[], thresholds: number[]): string[] {
  return LABELS.map((_, k) => k)
    .filter((k) => p[k] >= thresholds[k])
    .sort((a, b) => p[b] - p[a])
    .map((k) => LABELS[k]);
}

function assertClose(actual: ArrayLike<number>[], expected: number[][], what: string): void {
  assert.equal(actual.length, expected.length, what);
  expected.forEach((row, r) =>
    row.forEach((e, k) =>
      assert.ok(Math.abs(actual[r][k] - e) <= TOLERANCE, `${what}, line ${r} "${LINES[r]}", class ${k}: ${actual[r][k]} vs ${e}`),
    ),
  );
}

/** Token ids right-aligned behind padding, and the n-gram ids followed by padding, as int64 feeds. */
function onnxFeeds(model: Classifier, texts: readonly string[]): Record<string, ort.Tensor> {
  const encoded = texts.map((t) => model.tokenizer.encodeLine(t));
  const ids = BigInt64Array.from(
    padLeft(
      encoded.map((e) => e.tokens),
      SAVED_MAX_LENGTH,
    ),
    (id) => BigInt(id),
  );
  const feeds: Record<string, ort.Tensor> = { token_ids: new ort.Tensor('int64', ids, [texts.length, SAVED_MAX_LENGTH]) };
  if (model.tokenizer.ngrams) {
    const width = Math.max(1, ...encoded.map((e) => e.ngrams.length));
    const ngramIds = new BigInt64Array(texts.length * width);
    encoded.forEach(({ ngrams }, row) => ngrams.forEach((id, i) => (ngramIds[row * width + i] = BigInt(id))));
    feeds.ngram_ids = new ort.Tensor('int64', ngramIds, [texts.length, width]);
  }
  return feeds;
}

async function onnxProbabilities(file: string, model: Classifier): Promise<Float32Array[]> {
  const session = await ort.InferenceSession.create(fs.readFileSync(file));
  try {
    const data = (await session.run(onnxFeeds(model, LINES), ['probabilities'])).probabilities.data as Float32Array;
    return LINES.map((_, r) => data.subarray(r * LABELS.length, (r + 1) * LABELS.length));
  } finally {
    await session.release();
  }
}

interface JsonPrediction {
  line: number;
  label: string;
  confidence: number;
  probabilities: Record<string, number>;
  labels?: { label: string; probability: number }[];
}

/** A reference loader's output against the expected probabilities and label sets (non-blank lines only). */
function assertPrintedPredictions(stdout: string, expected: number[][], thresholds: number[], what: string): void {
  const printed = stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as JsonPrediction);
  const shown = LINES.map((text, i) => ({ text, i })).filter(({ text }) => text.trim() !== '');
  assert.deepEqual(
    printed.map((p) => p.line),
    shown.map(({ i }) => i + 1),
  );
  printed.forEach((p, n) => {
    const want = expected[shown[n].i];
    assert.deepEqual(
      p.labels?.map((l) => l.label),
      labelsOver(want, thresholds),
      `${what}, line ${p.line}`,
    );
    p.labels.forEach((l) => assert.equal(l.probability, p.probabilities[l.label]));
    assert.equal(p.label, LABELS[want.indexOf(Math.max(...want))], `${what}, line ${p.line}`);
    // As `textcat predict --json` prints a multi-label model's line.
    assert.deepEqual(Object.keys(p), ['line', 'label', 'confidence', 'probabilities', 'labels']);
  });
  assertClose(
    printed.map((p) => LABELS.map((l) => p.probabilities[l])),
    shown.map(({ i }) => expected[i]),
    what,
  );
}

let dir: string;

before(async () => {
  await initBackend();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'textcat-multilabel-export-'));
  fs.writeFileSync(path.join(dir, 'lines.txt'), `${LINES.join('\n')}\n`);
});

after(() => fs.rmSync(dir, { recursive: true, force: true }));

for (const [i, kind] of KINDS.entries()) {
  describe(`a multi-label ${kind.name} model`, () => {
    const spec = { ...kind, labels: LABELS };
    const modelDir = () => path.join(dir, `model-${i}`);
    const onnxFile = () => path.join(dir, `model-${i}.onnx`);
    let expected: number[][];
    let thresholds: number[];
    let model: Classifier;

    before(async () => {
      const classifier = syntheticClassifier(spec);
      const lines = LINES.map((t) => classifier.tokenizer.encodeLine(t));
      expected = sigmoidOfLogits(classifier.params, classifier.shape, lines, SAVED_MAX_LENGTH);
      thresholds = thresholdsBetween(expected);
      model = await saveSyntheticModel(modelDir(), { ...spec, thresholds });
      await exportOnnx(modelDir(), onnxFile());
    });

    it('loads as multi-label with its thresholds, and its label sets vary in size', async () => {
      const loaded = await loadModel(modelDir());
      assert.equal(loaded.shape.multiLabel, true);
      assert.deepEqual(loaded.thresholds, thresholds);
      assert.deepEqual(loaded.params.denseKernel, model.params.denseKernel);
      const sizes = new Set(expected.map((p) => labelsOver(p, thresholds).length));
      assert.ok(sizes.size >= 2 && [...sizes].some((n) => n >= 2), `label set sizes ${[...sizes].join(', ')}`);
      // --threshold HIGH below: some lines get no class at all, and no probability is near enough to flip.
      assert.ok(
        expected.some(
          (p) =>
            labelsOver(
              p,
              thresholds.map(() => HIGH),
            ).length === 0,
        ),
      );
      assert.ok(expected.every((p) => p.every((v) => Math.abs(v - HIGH) > 1e-4)));
    });

    it(`ends in Sigmoid, giving each class's sigmoid of the same logits within ${TOLERANCE} in ONNX Runtime`, async () => {
      const graph = onnx.ModelProto.decode(fs.readFileSync(onnxFile())).graph!;
      const last = graph.node!.find((n) => n.output!.includes('probabilities'))!;
      assert.equal(last.opType, 'Sigmoid');
      assert.ok(!graph.node!.some((n) => n.opType === 'Softmax'), 'no softmax over the classes');
      assertClose(await onnxProbabilities(onnxFile(), model), expected, 'ONNX Runtime');
    });

    it(`loads in stock tf.loadLayersModel with the same probabilities within ${TOLERANCE}`, async () => {
      const stock = await loadLayers(modelDir());
      const encoded = LINES.map((t) => model.tokenizer.encodeLine(t));
      const padded = (lists: (Int32Array | readonly number[])[]) => {
        const width = Math.max(1, ...lists.map((l) => l.length));
        return tf.tensor2d(padLeft(lists, width), [lists.length, width], 'int32');
      };
      const tokens = padded(encoded.map((e) => e.tokens.slice(0, SAVED_MAX_LENGTH)));
      const inputs = kind.wide ? [tokens, padded(encoded.map((e) => e.ngrams))] : tokens;
      const data = tf.tidy(() => (stock.predict(inputs) as tf.Tensor).dataSync() as Float32Array);
      tf.dispose(inputs);
      stock.dispose();
      assertClose(
        LINES.map((_, r) => data.subarray(r * LABELS.length, (r + 1) * LABELS.length)),
        expected,
        'tfjs',
      );
    });

    it('carries multi_label and the thresholds in the ONNX metadata and the tokenizer file, as docs/tokenizer.md describes', () => {
      const file = onnx.ModelProto.decode(fs.readFileSync(onnxFile()));
      const meta = Object.fromEntries(file.metadataProps.map((p) => [p.key ?? '', p.value ?? '']));
      assert.equal(meta['textcat.multi_label'], 'true');
      assert.deepEqual(JSON.parse(meta['textcat.thresholds']), thresholds);
      assert.deepEqual(JSON.parse(meta['textcat.labels']), LABELS);
      assert.match(file.docString, /a sigmoid per class \(multi-label\)\. Labels, thresholds and tokenizer in the metadata/);
      const tokenizerFile = JSON.parse(fs.readFileSync(onnxFile().replace(/\.onnx$/, '.tokenizer.json'), 'utf8')) as Record<
        string,
        unknown
      >;
      assert.equal(tokenizerFile.multiLabel, true);
      assert.deepEqual(tokenizerFile.thresholds, thresholds);
      const docs = fs.readFileSync(path.resolve(__dirname, '../../docs/tokenizer.md'), 'utf8');
      for (const name of ['multiLabel', 'thresholds', 'textcat.multi_label', 'textcat.thresholds']) {
        assert.ok(docs.includes(`\`${name}\``), `docs/tokenizer.md describes ${name}`);
      }
    });

    it("passes the onnx package's checker (Debian python3-onnx)", (t) => {
      const python = requirePython(t, ['onnx'], 'apt-get install python3-onnx');
      if (!python) return;
      const check = 'import onnx, sys; onnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True); print("ok")';
      const r = runPython(python, ['-c', check, onnxFile()]);
      assert.equal(r.status, 0, r.stderr);
    });

    it('runs in the Node example (examples/node/predict-onnx.mjs): every class over its threshold, and --threshold', () => {
      const example = path.resolve(__dirname, '../../examples/node/predict-onnx.mjs');
      const run = (...flags: string[]) =>
        spawnSync(process.execPath, [example, onnxFile(), path.join(dir, 'lines.txt'), ...flags], { encoding: 'utf8' });
      const r = run();
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stderr, '');
      assertPrintedPredictions(r.stdout, expected, thresholds, 'predict-onnx.mjs');
      const one = run('--threshold', String(HIGH));
      assert.equal(one.status, 0, one.stderr);
      assertPrintedPredictions(one.stdout, expected, [HIGH, HIGH, HIGH, HIGH], 'predict-onnx.mjs --threshold');
    });

    it('runs in the numpy example (examples/python/textcat_numpy.py), and --threshold', (t) => {
      const python = requirePython(t, ['numpy', 'icu'], 'apt-get install python3-numpy python3-icu');
      if (!python) return;
      const script = path.resolve(__dirname, '../../examples/python/textcat_numpy.py');
      const r = runPython(python, [script, modelDir(), path.join(dir, 'lines.txt')]);
      assert.equal(r.status, 0, r.stderr);
      assertPrintedPredictions(r.stdout, expected, thresholds, 'textcat_numpy.py');
      const one = runPython(python, [script, modelDir(), path.join(dir, 'lines.txt'), '--threshold', String(HIGH)]);
      assert.equal(one.status, 0, one.stderr);
      assertPrintedPredictions(one.stdout, expected, [HIGH, HIGH, HIGH, HIGH], 'textcat_numpy.py --threshold');
    });

    it('runs in onnxruntime for Python (examples/python/predict_onnx.py), where it is installed', (t) => {
      // onnxruntime for Python is not a Debian package, so CI has none: this one only runs where pip put it.
      const python = pythonWith(['numpy', 'icu', 'onnxruntime']);
      if (!python) return t.skip('onnxruntime for Python is not installed (pip install onnxruntime)');
      const r = runPython(python, [
        path.resolve(__dirname, '../../examples/python/predict_onnx.py'),
        onnxFile(),
        path.join(dir, 'lines.txt'),
      ]);
      assert.equal(r.status, 0, r.stderr);
      assertPrintedPredictions(r.stdout, expected, thresholds, 'predict_onnx.py');
    });
  });
}

describe("textcat.json's multiLabel and thresholds", () => {
  const spec: SavedModelSpec = { bidirectional: true, wide: true, labels: LABELS, seed: 70 };
  let single: string;
  let classifier: Classifier;

  before(async () => {
    single = path.join(dir, 'single');
    classifier = await saveSyntheticModel(single, spec);
  });

  /** A copy of the single-label model with its textcat.json changed by `change`. */
  function rewritten(name: string, change: (manifest: Record<string, unknown> & { shape: Record<string, unknown> }) => void): string {
    const folder = path.join(dir, name);
    fs.cpSync(single, folder, { recursive: true });
    const file = path.join(folder, 'textcat.json');
    const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as Parameters<typeof change>[0];
    change(manifest);
    fs.writeFileSync(file, JSON.stringify(manifest));
    return folder;
  }

  it('make a single-label model multi-label: loaded with its thresholds, exported as the sigmoid of the same logits', async () => {
    const thresholds = [0.5, 0.25, 0.75, 0.5];
    const folder = rewritten('rewritten', (m) => Object.assign(m, { multiLabel: true, thresholds }));
    const loaded = await loadModel(folder);
    assert.equal(loaded.shape.multiLabel, true);
    assert.deepEqual(loaded.thresholds, thresholds);
    assert.equal((await loadModel(single)).shape.multiLabel, undefined, 'a single-label shape stays as it was');
    const file = path.join(dir, 'rewritten.onnx');
    await exportOnnx(folder, file);
    const lines = LINES.map((t) => classifier.tokenizer.encodeLine(t));
    assertClose(
      await onnxProbabilities(file, classifier),
      sigmoidOfLogits(classifier.params, classifier.shape, lines, SAVED_MAX_LENGTH),
      'rewritten',
    );
  });

  it('the reference loaders refuse --threshold for a single-label model, which gives each line one class', async (t) => {
    const file = path.join(dir, 'single.onnx');
    await exportOnnx(single, file);
    const lines = path.join(dir, 'lines.txt');
    const node = spawnSync(
      process.execPath,
      [path.resolve(__dirname, '../../examples/node/predict-onnx.mjs'), file, lines, '--threshold', '0.5'],
      {
        encoding: 'utf8',
      },
    );
    assert.equal(node.status, 2);
    assert.match(node.stderr, /--threshold applies to multi-label models/);
    assert.equal(node.stdout, '');
    const python = requirePython(t, ['numpy', 'icu'], 'apt-get install python3-numpy python3-icu');
    if (!python) return;
    const numpy = runPython(python, [
      path.resolve(__dirname, '../../examples/python/textcat_numpy.py'),
      single,
      lines,
      '--threshold',
      '0.5',
    ]);
    assert.equal(numpy.status, 1);
    assert.match(numpy.stderr, /--threshold applies to multi-label models/);
    assert.equal(numpy.stdout, '');
  });

  const damaged: [string, (m: Record<string, unknown> & { shape: Record<string, unknown> }) => void, RegExp][] = [
    ['multiLabel not a boolean', (m) => (m.multiLabel = 'yes'), /"multiLabel" must be true or false/],
    ['no thresholds', (m) => (m.multiLabel = true), /a multi-label model needs "thresholds", one per label \(4\)/],
    ['too few thresholds', (m) => Object.assign(m, { multiLabel: true, thresholds: [0.5, 0.5] }), /needs "thresholds", one per label/],
    [
      'a threshold of 0',
      (m) => Object.assign(m, { multiLabel: true, thresholds: [0.5, 0, 0.5, 0.5] }),
      /"thresholds\[1\]" must be a number between 0 and 1 \(exclusive\), got 0/,
    ],
    [
      'a threshold of 1',
      (m) => Object.assign(m, { multiLabel: true, thresholds: [0.5, 0.5, 1, 0.5] }),
      /"thresholds\[2\]" must be a number between 0 and 1/,
    ],
    ['a threshold as a string', (m) => Object.assign(m, { multiLabel: true, thresholds: [0.5, '0.5', 0.5, 0.5] }), /got "0\.5"/],
    ['the shape multi-label, the manifest not', (m) => (m.shape.multiLabel = true), /"shape\.multiLabel" and "multiLabel" disagree/],
    [
      'the manifest multi-label, the shape not',
      (m) => Object.assign(m, { multiLabel: true, thresholds: [0.5, 0.5, 0.5, 0.5], shape: { ...m.shape, multiLabel: false } }),
      /disagree/,
    ],
  ];
  for (const [i, [what, change, message]] of damaged.entries()) {
    it(`refuses ${what}, naming textcat.json as damaged`, async () => {
      const folder = rewritten(`damaged-${i}`, change);
      await assert.rejects(loadModel(folder), (e: unknown) => {
        assert.ok(e instanceof TextcatError, String(e));
        assert.equal(e.file, path.join(folder, 'textcat.json'));
        assert.match(e.message, message);
        assert.match(e.message, /the model is damaged, train it again$/);
        return true;
      });
    });
  }
});
