// Lines/s of examples/dask on a LocalCluster of 1 and 2 worker processes, both engines (the CLI as a streaming
// filter; numpy + PyICU), on distinct generated log lines in several files, with a model of default size
// (Embedding 64 → BiLSTM 64 → Dense, maxLength 64, the wide n-gram path) trained here for a few epochs. Each
// figure is the whole run as a user times it: cluster start, every task, and the rename of each output.
// Usage: npm run bench:dask [-- --files 16 --lines 5000]
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { logLines, trainingCsv } from '../test/shared/logLines';
import { pythonWith } from '../test/shared/python';

const ROOT = path.resolve(__dirname, '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const DRIVER = path.join(ROOT, 'examples', 'dask', 'textcat_dask.py');

function run(command: string, args: string[], cwd: string): string {
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stderr;
}

function main(): void {
  const { values } = parseArgs({ options: { files: { type: 'string', default: '16' }, lines: { type: 'string', default: '5000' } } });
  const [files, perFile] = [Number(values.files), Number(values.lines)];
  const python = pythonWith(['dask', 'distributed', 'numpy', 'icu']);
  if (!python)
    throw new Error(
      'no python3 imports dask, distributed, numpy, icu: apt-get install python3-dask python3-distributed python3-numpy python3-icu',
    );
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'textcat-bench-dask-'));
  try {
    fs.writeFileSync(path.join(work, 'train.csv'), trainingCsv(3000));
    run(process.execPath, [CLI, 'train', 'train.csv', '--out', 'model', '--epochs', '2', '--quiet'], work);
    const lines = logLines(files * perFile);
    fs.mkdirSync(path.join(work, 'in'));
    for (let f = 0; f < files; f++) {
      fs.writeFileSync(path.join(work, 'in', `part-${f}.log`), `${lines.slice(f * perFile, (f + 1) * perFile).join('\n')}\n`);
    }
    console.log(`${files} files × ${perFile} distinct lines, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? 'unknown'})`);
    console.log('| engine | workers | seconds | lines/s |');
    console.log('| --- | --- | --- | --- |');
    for (const engine of ['cli', 'numpy']) {
      for (const workers of [1, 2]) {
        const out = path.join(work, `out-${engine}-${workers}`);
        const started = performance.now();
        run(
          python,
          [DRIVER, 'model', 'in', '--out', out, '--engine', engine, '--workers', String(workers), '--cli', `${process.execPath} ${CLI}`],
          work,
        );
        const seconds = (performance.now() - started) / 1000;
        const rate = Math.round(lines.length / seconds).toLocaleString('en-US');
        console.log(`| ${engine} | ${workers} | ${seconds.toFixed(1)} | ${rate} |`);
      }
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main();
