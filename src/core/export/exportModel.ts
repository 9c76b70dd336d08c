// A saved model folder → an ONNX file plus the tokenizer beside it (<name>.tokenizer.json), for other runtimes.
// One call with plain data in and out, for the CLI and (through the worker) the extension. Nothing is written
// unless the model loads and exports; each file appears whole (temp file, then rename), and a file at the
// destination is replaced only when it is an earlier Textcat export.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { initBackend } from '../backend';
import { loadModel, type LoadedModel } from '../store/modelStore';
import { TEXTCAT_VERSION } from '../version';
import { TextcatError } from '../types';
import { classifierGraph, INPUT_NAME, NGRAM_HASHES_NAME, NGRAM_INPUT_NAME, OUTPUT_NAME } from './classifierGraph';
import { assertExportable } from './exportable';
import type { ExportedFiles, OnnxExport } from './exportTypes';
import { encodeOnnx, isTextcatOnnx, OPSET } from './onnxFile';

export type { ExportedFiles, OnnxExport };

export const TOKENIZER_FILE_FORMAT = 'textcat-tokenizer';
/** Larger files at the destination are not read to check whether they are ours: they are not. */
const LARGEST_EXPORT_CHECKED = 2 ** 31;

/** The destination holds something that is not an earlier export, or cannot hold files: a usage error. */
export class ExportDestinationRefused extends TextcatError {}

/** `x.onnx` → x.onnx and x.tokenizer.json, absolute. */
export function exportedFiles(out: string): ExportedFiles {
  const onnx = path.resolve(out);
  return { onnx, tokenizer: `${onnx.replace(/\.onnx$/i, '')}.tokenizer.json` };
}

/** model-dir → <its folder name>.onnx in the current folder. */
export function defaultExportFile(modelDir: string): string {
  return `${path.basename(path.resolve(modelDir))}.onnx`;
}

export async function exportOnnx(modelDir: string, out: string): Promise<OnnxExport> {
  const started = performance.now();
  await initBackend();
  const model = await loadModel(modelDir);
  assertExportable(model);
  const files = exportedFiles(out);
  checkDestination(files);
  const { maxLength } = model.tokenizer.config;
  const graph = classifierGraph(model.params, model.shape, maxLength, model.tokenizer.ngrams?.hashes);
  const ngramInput = model.params.wide ? ` and ${NGRAM_INPUT_NAME} int64 [batch, n]` : '';
  const multiLabel = model.shape.multiLabel ? ', a sigmoid per class (multi-label)' : '';
  const thresholds = model.shape.multiLabel ? ', thresholds' : '';
  const onnx = encodeOnnx(graph, {
    producerVersion: TEXTCAT_VERSION,
    doc: `Textcat text classifier: ${INPUT_NAME} int64 [batch, ${maxLength}]${ngramInput} → ${OUTPUT_NAME} float [batch, ${model.labels.length}]${multiLabel}. Labels${thresholds} and tokenizer in the metadata.`,
    metadata: metadataOf(model),
  });
  await writeFilesAtomically([
    [files.tokenizer, tokenizerFileText(model)],
    [files.onnx, onnx],
  ]);
  return {
    files,
    onnxBytes: onnx.byteLength,
    weightsBytes: fs.statSync(path.join(modelDir, 'weights.bin')).size,
    labels: model.labels,
    seconds: (performance.now() - started) / 1000,
  };
}

/**
 * The labels (with a multi-label model, its flag, per-class thresholds and whether a line gets at least its top class)
 * and the tokenizer; with a wide path,
 * the tokenizer's n-gram vocabulary is the graph's constant output NGRAM_HASHES_NAME (4 bytes a hash) rather than
 * JSON text in the metadata (about 11).
 */
function metadataOf(model: LoadedModel): Record<string, string> {
  const { ngrams, ...tokenizer } = model.tokenizer.toJSON();
  return {
    'textcat.labels': JSON.stringify(model.labels),
    // Only for multi-label: a single-label export stays what it was before multi-label existed.
    ...(model.shape.multiLabel
      ? {
          'textcat.multi_label': 'true',
          'textcat.thresholds': JSON.stringify(model.thresholds),
          'textcat.at_least_one_label': String(model.atLeastOneLabel === true),
        }
      : {}),
    'textcat.tokenizer': JSON.stringify(ngrams ? { ...tokenizer, ngrams: ngramsDescription(ngrams.hashes.length) } : tokenizer),
    'textcat.inputs': JSON.stringify(model.params.wide ? [INPUT_NAME, NGRAM_INPUT_NAME] : [INPUT_NAME]),
    ...(model.manifest.combination ? { 'textcat.combination': JSON.stringify(model.manifest.combination) } : {}),
    'textcat.run': model.manifest.runId,
    'textcat.opset': String(OPSET),
  };
}

/** How a wide path's n-grams become the graph's second input (docs/tokenizer.md, "N-grams"). */
function ngramsDescription(count: number) {
  return {
    input: NGRAM_INPUT_NAME,
    features:
      'word unigrams and bigrams, subwords of 3 to 5 code points of <token>, character 1- to 3-grams of runs in scripts without spaces',
    hash: 'FNV-1a 32-bit over UTF-8',
    count,
    hashesOutput: NGRAM_HASHES_NAME,
  };
}

/** Everything needed to turn a line into the model's input (docs/tokenizer.md), and to name its output. */
export function tokenizerFile(model: LoadedModel) {
  const { version, locale, config, vocab, ngrams } = model.tokenizer.toJSON();
  return {
    format: TOKENIZER_FILE_FORMAT,
    about: "How to turn a line of text into the model's input: Textcat's docs/tokenizer.md.",
    version,
    locale,
    config,
    input: INPUT_NAME,
    output: OUTPUT_NAME,
    labels: model.labels,
    ...(model.shape.multiLabel ? { multiLabel: true, thresholds: model.thresholds, atLeastOneLabel: model.atLeastOneLabel === true } : {}),
    vocab,
    ...(ngrams ? { ngrams: { ...ngramsDescription(ngrams.hashes.length), hashes: ngrams.hashes } } : {}),
  };
}

/** The tokenizer file as JSON, one value a line except the n-gram hashes, all on one line (up to 500,000 of them). */
function tokenizerFileText(model: LoadedModel): string {
  const { ngrams, ...file } = tokenizerFile(model);
  if (!ngrams) return `${JSON.stringify(file, null, 1)}\n`;
  const { hashes, ...description } = ngrams;
  // "ngrams" is the last key and "hashes" goes last in it: before the closing brace of the one-space-indented object.
  const text = JSON.stringify({ ...file, ngrams: description }, null, 1);
  const end = text.lastIndexOf('\n }');
  return `${text.slice(0, end)},\n  "hashes": ${JSON.stringify(hashes)}${text.slice(end)}\n`;
}

function checkDestination(files: ExportedFiles): void {
  const folder = path.dirname(files.onnx);
  if (!fs.statSync(folder, { throwIfNoEntry: false })?.isDirectory()) {
    throw new ExportDestinationRefused('no such folder', folder);
  }
  checkReplaceable(files.onnx, isTextcatOnnx);
  checkReplaceable(files.tokenizer, isTextcatTokenizerFile);
}

function checkReplaceable(file: string, isOurs: (bytes: Buffer) => boolean): void {
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  if (!stat) return;
  if (stat.isDirectory()) throw new ExportDestinationRefused('is a folder; name the .onnx file to write instead', file);
  if (!stat.isFile() || stat.size > LARGEST_EXPORT_CHECKED || !isOurs(fs.readFileSync(file))) {
    throw new ExportDestinationRefused(
      'exists and is not a Textcat export; not replacing it (move it, or export to another file name)',
      file,
    );
  }
}

function isTextcatTokenizerFile(bytes: Buffer): boolean {
  try {
    return (JSON.parse(bytes.toString('utf8')) as { format?: unknown }).format === TOKENIZER_FILE_FORMAT;
  } catch {
    return false;
  }
}

/** Each file to a temp file beside it, synced, then all renamed into place; on failure the temps go. */
async function writeFilesAtomically(files: [string, string | Uint8Array][]): Promise<void> {
  const stamp = `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
  const temps = files.map(([file]) => path.join(path.dirname(file), `.${path.basename(file)}.tmp-${stamp}`));
  try {
    for (const [i, [, content]] of files.entries()) {
      const handle = await fs.promises.open(temps[i], 'wx');
      try {
        await handle.writeFile(content);
        await handle.sync();
      } finally {
        await handle.close();
      }
    }
    for (const [i, [file]] of files.entries()) await fs.promises.rename(temps[i], file);
  } catch (error) {
    await Promise.all(temps.map((t) => fs.promises.rm(t, { force: true })));
    throw error;
  }
}
