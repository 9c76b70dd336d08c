// Training samples/s and prediction lines/s of Textcat's network on the reference model (vocab 5,000,
// length 64, Embedding 64 → LSTM 64 → Dense 4, batch 32, 8,000 sequences), beside PyTorch on the same
// shapes in the same run when a python3 with torch is there. Also hidden 128, batch 64, and banking77.
// Usage: node --import tsx bench/throughput.ts [datasets-folder] [--quick]
// The kernel build is the one Textcat would run here (relaxed SIMD where the runtime has it); TEXTCAT_KERNEL=plain
// or relaxed picks one (on Node 20 relaxed needs node --experimental-wasm-relaxed-simd).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { initBackend } from '../src/core/backend';
import { readDataset } from '../src/core/data/dataset';
import { Adam, GradientPool, initParams, type NetworkShape } from '../src/core/model';
import { kernelBuild } from '../src/core/model/kernel';
import { createRng } from '../src/core/random';
import { padLeft, Tokenizer } from '../src/core/text/tokenizer';
import { datasetsRoot, missingDatasetsMessage } from './datasets';

interface Case {
  name: string;
  vocab: number;
  length: number;
  embed: number;
  hidden: number;
  classes: number;
  batch: number;
  train: number;
}

interface Figures {
  trainSamplesPerSecond: number;
  predictLinesPerSecond: number;
  peakRssMB?: number;
  /** PyTorch only: the BLAS library it ran on. */
  blas?: string;
}

/** The gradient helper's bundle (npm run bench:throughput builds it first), passed to the pool as an entry point does. */
const HELPER_SCRIPT = path.resolve(__dirname, '../dist/gradient-worker.js');
const REFERENCE: Case = { name: 'reference', vocab: 5000, length: 64, embed: 64, hidden: 64, classes: 4, batch: 32, train: 8000 };

async function measureTextcat(sequences: number[][], targets: number[], c: Case, threads: number): Promise<Figures> {
  const shape: NetworkShape = {
    vocabSize: c.vocab,
    embeddingDim: c.embed,
    hiddenUnits: c.hidden,
    numClasses: c.classes,
    bidirectional: false,
  };
  const pool = await GradientPool.create(initParams(shape, createRng(0)), shape, threads, HELPER_SCRIPT);
  const adam = new Adam(pool.params, { learningRate: 1e-3, clipNorm: 5 });
  const ones = new Array<number>(c.batch).fill(1);
  const epoch = async (limit: number) => {
    for (let i = 0; i < limit; i += c.batch) {
      const rows = sequences.slice(i, i + c.batch);
      const steps = Math.min(c.length, Math.max(...rows.map((r) => r.length)));
      const step = await pool.step({ ids: padLeft(rows, steps), batchSize: rows.length, steps }, targets.slice(i, i + c.batch), ones, 0, i);
      adam.apply(pool.params, step.gradients);
    }
  };
  try {
    await epoch(Math.min(sequences.length, c.batch * 10)); // warm-up: JIT and wasm
    let start = performance.now();
    await epoch(sequences.length);
    const trainSamplesPerSecond = sequences.length / ((performance.now() - start) / 1000);
    start = performance.now();
    await pool.predict(
      sequences.map((tokens) => ({ tokens, ngrams: [] })),
      c.length,
    );
    const predictLinesPerSecond = sequences.length / ((performance.now() - start) / 1000);
    return { trainSamplesPerSecond, predictLinesPerSecond, peakRssMB: process.resourceUsage().maxRSS / 1024 };
  } finally {
    await pool.dispose();
  }
}

/** The first python that has torch: TEXTCAT_PYTHON, python3 on PATH, then Debian's (python3-torch). */
function pythonWithTorch(): string | undefined {
  const candidates = [process.env.TEXTCAT_PYTHON, 'python3', '/usr/bin/python3'].filter((c): c is string => !!c);
  return candidates.find((python) => spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0);
}

/** `data`: real sequences and targets instead of the script's synthetic ones. */
function measurePytorch(c: Case, python: string | undefined, data?: { sequences: number[][]; targets: number[] }): Figures | string {
  if (!python)
    return 'PyTorch reference not run: no python3 with torch found (Debian: apt-get install python3-torch, or set TEXTCAT_PYTHON)';
  const script = path.join(__dirname, 'reference', 'lstm_torch.py');
  const args = [
    script,
    ...Object.entries(c)
      .filter(([k]) => k !== 'name')
      .flatMap(([k, v]) => [`--${k}`, String(v)]),
  ];
  if (data) {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'textcat-bench-')), 'data.json');
    fs.writeFileSync(file, JSON.stringify(data));
    args.push('--data', file);
  }
  const run = spawnSync(python, args, { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' } });
  if (run.status !== 0) return `PyTorch reference failed: ${(run.stderr || run.error?.message || '').trim().split('\n').at(-1)}`;
  return JSON.parse(run.stdout.trim().split('\n').at(-1)!) as Figures;
}

function syntheticData(c: Case): { sequences: number[][]; targets: number[] } {
  const rng = createRng(1);
  const sequences = Array.from({ length: c.train }, () => Array.from({ length: c.length }, () => 2 + Math.floor(rng() * (c.vocab - 2))));
  return { sequences, targets: sequences.map(() => Math.floor(rng() * c.classes)) };
}

function row(name: string, ours: Figures, torch: Figures | string): string {
  const f = (x: number) => x.toFixed(0).padStart(6);
  if (typeof torch === 'string')
    return `${name.padEnd(40)} train ${f(ours.trainSamplesPerSecond)}/s  predict ${f(ours.predictLinesPerSecond)}/s  rss ${ours.peakRssMB?.toFixed(0)} MB`;
  const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
  return `${name.padEnd(40)} train ${f(ours.trainSamplesPerSecond)}/s vs ${f(torch.trainSamplesPerSecond)}/s (${ratio(ours.trainSamplesPerSecond, torch.trainSamplesPerSecond)})  predict ${f(ours.predictLinesPerSecond)}/s vs ${f(torch.predictLinesPerSecond)}/s (${ratio(ours.predictLinesPerSecond, torch.predictLinesPerSecond)})  rss ${ours.peakRssMB?.toFixed(0)} vs ${torch.peakRssMB?.toFixed(0)} MB`;
}

async function main() {
  const { values, positionals } = parseArgs({ options: { quick: { type: 'boolean' } }, allowPositionals: true });
  await initBackend();
  const cases: Case[] = [REFERENCE];
  if (!values.quick) cases.push({ ...REFERENCE, name: 'hidden 128', hidden: 128 }, { ...REFERENCE, name: 'batch 64', batch: 64 });
  console.log(
    `Textcat (wasm SIMD kernel for the whole LSTM, ${kernelBuild()} build; threads as shown) vs PyTorch CPU (one BLAS thread), same shapes, this machine`,
  );
  const python = pythonWithTorch();
  let torchMissing: string | undefined;
  for (const c of cases) {
    const { sequences, targets } = syntheticData(c);
    const torch = measurePytorch(c, python);
    if (typeof torch === 'string') torchMissing = torch;
    else if (c === REFERENCE)
      console.log(
        `PyTorch BLAS: ${torch.blas}${/openblas|mkl/i.test(torch.blas ?? '') ? '' : ' (reference BLAS: slow; install libopenblas0-pthread for a fair comparison)'}`,
      );
    // What the second thread buys.
    if (c === REFERENCE) console.log(row(`${c.name}, 1 thread`, await measureTextcat(sequences, targets, c, 1), torch));
    console.log(row(`${c.name}, 2 threads (default)`, await measureTextcat(sequences, targets, c, 2), torch));
  }
  const root = datasetsRoot(positionals[0]);
  if (!root) console.log(`banking77: skipped, ${missingDatasetsMessage()}`);
  else {
    const data = await readDataset(path.join(root, 'banking77', 'train.csv'));
    const tokenizer = Tokenizer.fit(
      data.examples.map((e) => e.text),
      { maxVocab: 5000, maxLength: 64 },
    );
    const labels = [...new Set(data.examples.map((e) => e.label))].sort();
    const sequences = data.examples.map((e) => tokenizer.encode(e.text));
    const targets = data.examples.map((e) => labels.indexOf(e.label));
    const c: Case = {
      ...REFERENCE,
      name: `banking77 (real lengths, mean ${(sequences.reduce((s, q) => s + q.length, 0) / sequences.length).toFixed(1)})`,
      classes: labels.length,
      train: sequences.length,
    };
    const ours = await measureTextcat(sequences, targets, c, 2);
    console.log(row(c.name, ours, measurePytorch(c, python, { sequences, targets })));
  }
  if (torchMissing) console.log(torchMissing);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
