// Runs a model exported with `textcat export` in ONNX Runtime for Node (onnxruntime-web's WebAssembly build;
// onnxruntime-node has the same API):
//
//   node predict-onnx.mjs model.onnx lines.txt   # one JSON object per non-blank line, as `textcat predict --json`
//   node predict-onnx.mjs model.onnx lines.txt --threshold 0.3   # multi-label: one threshold for every class
//
// The tokenizer, the input and output names and the labels come from model.tokenizer.json beside the .onnx file;
// for a multi-label model (a sigmoid per class) also its per-class thresholds: each line then lists in "labels"
// every class at or over its threshold with its probability, most probable first, or its most probable class when
// none is and "atLeastOneLabel" is true (every training row had a label).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-web';
import { TextcatTokenizer } from './tokenizer.mjs';

const usage = (why) => {
  console.error(`${why ? `${why}\n` : ''}usage: node predict-onnx.mjs MODEL.onnx [FILE] [--threshold T]`);
  process.exit(2);
};
let args;
try {
  args = parseArgs({ allowPositionals: true, options: { threshold: { type: 'string' } } });
} catch (error) {
  usage(error.message);
}
const [onnxFile, linesFile] = args.positionals;
if (!onnxFile || args.positionals.length > 2) usage();
const spec = JSON.parse(readFileSync(onnxFile.replace(/\.onnx$/, '') + '.tokenizer.json', 'utf8'));
const thresholds = thresholdsOf(spec, args.values.threshold);
const tokenizer = new TextcatTokenizer(spec);
const lines = readFileSync(linesFile ?? 0, 'utf8').split(/\r?\n|\r/);
if (lines.at(-1) === '') lines.pop();
const texts = lines.map((text, i) => ({ line: i + 1, text })).filter(({ text }) => text.trim() !== '');

const session = await ort.InferenceSession.create(readFileSync(onnxFile));
const lineTexts = texts.map((t) => t.text);
const feeds = { [spec.input]: new ort.Tensor('int64', tokenizer.modelInput(lineTexts), [texts.length, spec.config.maxLength]) };
if (spec.ngrams) {
  // A model with a wide path: its second input, the lines' n-gram ids.
  const { ids, dims } = tokenizer.ngramInput(lineTexts);
  feeds[spec.ngrams.input] = new ort.Tensor('int64', ids, dims);
}
const probabilities = (await session.run(feeds, [spec.output]))[spec.output].data;
const K = spec.labels.length;
texts.forEach(({ line }, row) => {
  const p = Array.from(probabilities.subarray(row * K, (row + 1) * K));
  const best = p.indexOf(Math.max(...p));
  const round = (x) => Number(x.toFixed(6));
  // Multi-label: every class at or over its threshold, most probable first (ties in label order).
  const over =
    thresholds &&
    spec.labels
      .map((_, k) => k)
      .filter((k) => p[k] >= thresholds[k])
      .sort((a, b) => p[b] - p[a]);
  const given = over && over.length === 0 && spec.atLeastOneLabel === true ? [best] : over;
  const byLabel = Object.fromEntries(spec.labels.map((label, k) => [label, round(p[k])]));
  const labels = given ? { labels: given.map((k) => ({ label: spec.labels[k], probability: round(p[k]) })) } : {};
  console.log(JSON.stringify({ line, label: spec.labels[best], confidence: round(p[best]), probabilities: byLabel, ...labels }));
});

/** The thresholds to label by: the model's, or --threshold for every class (multi-label models only). */
function thresholdsOf(spec, threshold) {
  if (threshold === undefined) return spec.multiLabel === true ? spec.thresholds : undefined;
  if (spec.multiLabel !== true) usage('--threshold applies to multi-label models; this one gives each line one class');
  const value = Number(threshold);
  if (!(value > 0 && value < 1)) usage('--threshold must be between 0 and 1');
  return spec.labels.map(() => value);
}
