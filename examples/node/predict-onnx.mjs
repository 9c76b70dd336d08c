// Runs a model exported with `textcat export` in ONNX Runtime for Node (onnxruntime-web's WebAssembly build;
// onnxruntime-node has the same API):
//
//   node predict-onnx.mjs model.onnx lines.txt   # one JSON object per non-blank line, as `textcat predict --json`
//
// The tokenizer, the input and output names and the labels come from model.tokenizer.json beside the .onnx file.
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-web';
import { TextcatTokenizer } from './tokenizer.mjs';

const [onnxFile, linesFile] = process.argv.slice(2);
if (!onnxFile) {
  console.error('usage: node predict-onnx.mjs MODEL.onnx [FILE]');
  process.exit(2);
}
const spec = JSON.parse(readFileSync(onnxFile.replace(/\.onnx$/, '') + '.tokenizer.json', 'utf8'));
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
  const byLabel = Object.fromEntries(spec.labels.map((label, k) => [label, round(p[k])]));
  console.log(JSON.stringify({ line, label: spec.labels[best], confidence: round(p[best]), probabilities: byLabel }));
});
