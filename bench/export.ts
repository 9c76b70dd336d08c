// Export speed and size on a real dataset: trains a model with the CLI on a shared dataset (default options,
// a few epochs: export time does not depend on them) into a temp folder, then times `textcat export` as a
// user runs it (a fresh process each time) and compares the .onnx file with weights.bin.
// Usage: npm run build && node --import tsx bench/export.ts [datasets-folder] [--dataset ag_news_7600] [--epochs 2]
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { datasetsRoot, missingDatasetsMessage } from './datasets';

const CLI = path.resolve(__dirname, '..', 'dist', 'cli.js');
const RUNS = 5;

function textcat(args: string[]): { stdout: string; seconds: number } {
  const started = performance.now();
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  if (r.status !== 0) throw new Error(`textcat ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { stdout: r.stdout, seconds: (performance.now() - started) / 1000 };
}

function main(): void {
  const { values, positionals } = parseArgs({
    options: { dataset: { type: 'string', default: 'ag_news_7600' }, epochs: { type: 'string', default: '2' } },
    allowPositionals: true,
  });
  const root = datasetsRoot(positionals[0]);
  if (!root) throw new Error(missingDatasetsMessage());
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'textcat-bench-export-'));
  try {
    const model = path.join(work, 'model');
    const out = path.join(work, 'model.onnx');
    console.log(`training on ${values.dataset} (${values.epochs} epochs)...`);
    textcat(['train', path.join(root, values.dataset, 'train.csv'), '--out', model, '--epochs', values.epochs, '--quiet']);
    const manifest = JSON.parse(fs.readFileSync(path.join(model, 'textcat.json'), 'utf8')) as { shape: Record<string, unknown> };
    const runs = Array.from({ length: RUNS }, () => {
      const { stdout, seconds } = textcat(['export', model, '--out', out, '--json']);
      return { process: seconds, inside: (JSON.parse(stdout) as { seconds: number }).seconds };
    });
    const weights = fs.statSync(path.join(model, 'weights.bin')).size;
    const onnx = fs.statSync(out).size;
    const tokenizer = fs.statSync(out.replace(/\.onnx$/, '.tokenizer.json')).size;
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    console.log(`network: ${JSON.stringify(manifest.shape)}`);
    console.log(
      `export, median of ${RUNS}: ${median(runs.map((r) => r.process)).toFixed(2)} s for the whole command, ${median(runs.map((r) => r.inside)).toFixed(2)} s inside it`,
    );
    console.log(
      `sizes: weights.bin ${weights} bytes, model.onnx ${onnx} bytes (${((100 * (onnx - weights)) / weights).toFixed(1)} % more), model.tokenizer.json ${tokenizer} bytes`,
    );
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main();
