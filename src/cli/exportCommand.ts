// `textcat export`: a saved model to ONNX, with its tokenizer beside it. Parses its own flags and returns its
// exit status (2 for bad usage or a destination it will not replace); a model that cannot be read throws a
// TextcatError, which the CLI reports with exit 1.
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { defaultExportFile, ExportDestinationRefused, exportOnnx, type OnnxExport } from '../core/export/exportModel';

export const EXPORT_USAGE = 'textcat export <model-dir> [--format onnx] [--out <file.onnx>] [--json]';

const FLAGS = {
  format: { type: 'string' },
  out: { type: 'string', short: 'o' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function exportCommand(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, options: FLAGS, allowPositionals: true, strict: true });
  } catch (e) {
    return usageError((e as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`Usage: ${EXPORT_USAGE}\n\n${HELP}\n`);
    return 0;
  }
  if (positionals.length !== 1) return usageError('export takes one model folder');
  const format = values.format ?? 'onnx';
  if (format !== 'onnx') return usageError(`unknown --format "${format}" (supported: onnx)`);
  const [modelDir] = positionals;
  let result: OnnxExport;
  try {
    result = await exportOnnx(modelDir, values.out ?? defaultExportFile(modelDir));
  } catch (error) {
    if (!(error instanceof ExportDestinationRefused)) throw error;
    process.stderr.write(`textcat: ${error.message}\n`);
    return 2;
  }
  process.stdout.write(values.json ? `${JSON.stringify(summary(result))}\n` : `${describe(modelDir, result)}\n`);
  return 0;
}

const HELP = `Writes the model as an ONNX file (opset 13): input token_ids int64 [batch, maxLength], each row the ids of
a line's first tokens right-aligned behind 0; output probabilities float [batch, classes]. Beside it,
<name>.tokenizer.json holds the tokenizer (docs/tokenizer.md), the vocabulary and the class names, which the
ONNX metadata also carries. Default --out: <model folder name>.onnx in the current folder. An existing file is
replaced only when it is an earlier Textcat export.`;

function usageError(message: string): number {
  process.stderr.write(`textcat: ${message}\n\nUsage: ${EXPORT_USAGE}\n`);
  return 2;
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
  return `Exported ${modelDir} to ${shown(r.files.onnx)} (${mb(r.onnxBytes)}; weights.bin ${mb(r.weightsBytes)}) and ${shown(r.files.tokenizer)} in ${r.seconds.toFixed(2)} s`;
}
