// Warm start against a full retrain after a small correction (issue 20): a model is trained on a shared dataset's
// training rows with 1 % of them missing ("added") or with 1 % of them given another label ("relabeled"); then the
// complete, correct rows are trained twice, once as a warm start from that model (WARM_START_DEFAULTS) and once from
// scratch, both with the default options. Prints wall time, epochs and test macro-F1 of each. Figures only: on a
// shared machine the times move with the load, so compare the two columns of one row, not rows of different runs.
// Usage: node --import tsx bench/warmStart.ts [datasets-folder] [--only a,b] [--seeds 42] [--share 0.01] [--json]
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { readDataset } from '../src/core/data/dataset';
import { csvRecords } from '../src/core/format/csv';
import { trainJob } from '../src/core/jobs';
import type { TrainOptions } from '../src/core/options';
import { createRng, shuffleInPlace } from '../src/core/random';
import type { Example } from '../src/core/types';
import { WARM_START_DEFAULTS } from '../src/core/training/warmStart';
import { datasetsRoot, missingDatasetsMessage } from './datasets';

type Scenario = 'added' | 'relabeled';

interface Side {
  macroF1: number;
  epochs: number;
  /** Wall-clock seconds of the whole job (reading, baseline, training, saving). */
  seconds: number;
  /** CPU seconds of the process (every thread) over the job: steadier than wall time on a loaded machine. */
  cpuSeconds: number;
  /** Of which the linear baseline (refit in full by either). */
  baselineSeconds: number;
}

interface Row {
  dataset: string;
  scenario: Scenario;
  seed: number;
  changedRows: number;
  parent: Side;
  warm: Side & { newRows: number; newWords: number };
  full: Side;
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    only: { type: 'string', default: 'sms_spam,uci_sentiment_sentences,loghub_levels' },
    seeds: { type: 'string', default: '42' },
    share: { type: 'string', default: '0.01' },
    scenarios: { type: 'string', default: 'added,relabeled' },
    json: { type: 'boolean', default: false },
  },
});

const root = datasetsRoot(positionals[0]);
if (!root) {
  console.error(missingDatasetsMessage());
  process.exit(1);
}

function writeCsv(file: string, rows: readonly Example[]): string {
  fs.writeFileSync(file, csvRecords([['text', 'label'], ...rows.map((e) => [e.text, e.label])], '\r\n'));
  return file;
}

/** The parent's rows: without `count` of them, or with `count` of them given another class. */
function parentRows(rows: readonly Example[], scenario: Scenario, count: number, seed: number): Example[] {
  const picked = new Set(shuffleInPlace([...rows.keys()], createRng(seed ^ 0x3a17)).slice(0, count));
  if (scenario === 'added') return rows.filter((_, i) => !picked.has(i));
  const labels = [...new Set(rows.map((e) => e.label))].sort();
  return rows.map((e, i) => (picked.has(i) ? { ...e, label: labels[(labels.indexOf(e.label) + 1) % labels.length] } : e));
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; seconds: number; cpuSeconds: number }> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const value = await work();
  const used = process.cpuUsage(cpu);
  return { value, seconds: (performance.now() - started) / 1000, cpuSeconds: (used.user + used.system) / 1e6 };
}

async function measure(dataset: string, scenario: Scenario, seed: number): Promise<Row> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'textcat-warm-bench-'));
  try {
    const train = (await readDataset(path.join(root!, dataset, 'train.csv'))).examples;
    const testFile = writeCsv(path.join(dir, 'test.csv'), (await readDataset(path.join(root!, dataset, 'test.csv'))).examples);
    const changedRows = Math.max(1, Math.round(train.length * Number(values.share)));
    const before = writeCsv(path.join(dir, 'before.csv'), parentRows(train, scenario, changedRows, seed));
    const after = writeCsv(path.join(dir, 'after.csv'), train);
    const options: Partial<TrainOptions> = { seed };
    const run = (file: string, modelDir: string, warm: boolean) =>
      timed(() =>
        trainJob({
          dataset: { path: file },
          test: { path: testFile },
          options,
          modelDir,
          ...(warm ? { warmStart: { mode: 'require' as const, options: WARM_START_DEFAULTS } } : {}),
        }),
      );
    const side = (r: Awaited<ReturnType<typeof run>>): Side => ({
      macroF1: r.value.metrics.test!.macroF1,
      epochs: r.value.history.length,
      seconds: r.seconds,
      cpuSeconds: r.cpuSeconds,
      baselineSeconds: r.value.baseline?.trainSeconds ?? 0,
    });
    const parent = await run(before, path.join(dir, 'model'), false);
    const warm = await run(after, path.join(dir, 'model'), true);
    const full = await run(after, path.join(dir, 'full'), false);
    return {
      dataset,
      scenario,
      seed,
      changedRows,
      parent: side(parent),
      warm: { ...side(warm), newRows: warm.value.warmStart!.newRows, newWords: warm.value.warmStart!.newWords },
      full: side(full),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const f3 = (x: number) => x.toFixed(3);
const cell = (s: Side) =>
  `${f3(s.macroF1)} ${String(s.epochs).padStart(2)} ep ${s.seconds.toFixed(1).padStart(5)} s ${s.cpuSeconds.toFixed(1).padStart(5)} cpu-s`;

void (async () => {
  const rows: Row[] = [];
  if (!values.json) {
    console.log('test macro-F1, epochs run, wall seconds and CPU seconds of each job; speed-up in CPU seconds');
    console.log(
      'dataset                   change       rows  parent  warm start                         full retrain                         ΔF1    speed-up',
    );
  }
  for (const dataset of values.only.split(',')) {
    for (const scenario of values.scenarios.split(',') as Scenario[]) {
      for (const seed of values.seeds.split(',').map(Number)) {
        const row = await measure(dataset, scenario, seed);
        rows.push(row);
        if (!values.json) {
          console.log(
            `${dataset.padEnd(25)} ${scenario.padEnd(10)} ${String(row.changedRows).padStart(6)}  ${f3(row.parent.macroF1)}  ${cell(row.warm)}   ${cell(row.full)}   ${(row.warm.macroF1 - row.full.macroF1).toFixed(3).padStart(6)}  ${(row.full.cpuSeconds / row.warm.cpuSeconds).toFixed(1)}×`,
          );
        }
      }
    }
  }
  if (values.json) console.log(JSON.stringify(rows));
})();
