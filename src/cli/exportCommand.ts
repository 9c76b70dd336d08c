// `textcat export`: a saved model to ONNX, with its tokenizer beside it. A destination it will not replace is
// bad usage (exit 2); a model that cannot be read throws a TextcatError, which the CLI reports with exit 1.
import * as path from 'node:path';
import { defaultExportFile, ExportDestinationRefused, exportOnnx, type OnnxExport } from '../core/export/exportModel';
import { exitStatusHelp, type Command } from './command';
import { forStdout, writeErr, writeOut } from './output';
import { flagLines, HELP_FLAG, parseFlags, prose, UsageError, type Flag } from './usage';

const NAME = 'export';
const USAGE = 'export <model-dir> [--out <file.onnx>] [--json]';

const FLAGS: readonly Flag[] = [
  { name: 'format', value: 'format', description: 'onnx (the only one) [onnx]' },
  { name: 'out', short: 'o', value: 'file.onnx', description: 'Where to write it [<model folder name>.onnx in the current folder]' },
  { name: 'json', description: 'One JSON object on stdout: onnx, tokenizer, onnxBytes, weightsBytes, labels, seconds' },
  HELP_FLAG,
];

const HELP = `Usage: textcat ${USAGE}

${prose(
  "Writes the model as an ONNX file (opset 13): input token_ids int64 [batch, maxLength], each row the ids of a line's first tokens right-aligned behind 0; output probabilities float [batch, classes]. A model with the wide n-gram path (the default) has a second input, ngram_ids int64 [batch, n] (the ids of the line's known n-grams, then 0s), and a second output, ngram_hashes (its n-gram vocabulary); ask for probabilities by name. Beside it, <name>.tokenizer.json holds the tokenizer (docs/tokenizer.md), the vocabulary and the class names, which the ONNX metadata also carries. An existing file is replaced only when it is an earlier Textcat export.",
)}

Options:
${flagLines(FLAGS)}

Example:
  textcat export .textcat/model --out model.onnx

${exitStatusHelp('A destination that is not an earlier export is refused as bad usage.')}`;

export const exportCommand: Command = {
  name: NAME,
  summary: 'Write a model as an ONNX file, with its tokenizer beside it',
  usage: USAGE,
  help: () => HELP,
  run: exportModel,
};

async function exportModel(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseFlags(NAME, args, FLAGS);
  if (positionals.length !== 1) throw new UsageError('export takes one model folder', NAME);
  const format = (values.format as string | undefined) ?? 'onnx';
  if (format !== 'onnx') throw new UsageError(`unknown --format "${format}" (supported: onnx)`, NAME);
  const [modelDir] = positionals;
  let result: OnnxExport;
  try {
    result = await exportOnnx(modelDir, (values.out as string | undefined) ?? defaultExportFile(modelDir));
  } catch (error) {
    if (!(error instanceof ExportDestinationRefused)) throw error;
    writeErr(`textcat: ${error.message}\n`);
    return 2;
  }
  await writeOut(values.json ? `${JSON.stringify(summary(result))}\n` : `${describe(modelDir, result)}\n`);
  return 0;
}

function summary(r: OnnxExport) {
  return {
    onnx: r.files.onnx,
    tokenizer: r.files.tokenizer,
    onnxBytes: r.onnxBytes,
    weightsBytes: r.weightsBytes,
    labels: r.labels,
    seconds: r.seconds,
  };
}

function describe(modelDir: string, r: OnnxExport): string {
  const shown = (file: string) => path.relative(process.cwd(), file) || file;
  const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
  return `Exported ${forStdout(modelDir)} to ${forStdout(shown(r.files.onnx))} (${mb(r.onnxBytes)}; weights.bin ${mb(r.weightsBytes)}) and ${forStdout(shown(r.files.tokenizer))} in ${r.seconds.toFixed(2)} s`;
}
