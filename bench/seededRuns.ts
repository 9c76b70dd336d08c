// What the seeded accuracy benchmarks share (accuracy.ts, multilabel.ts): the shared datasets' folder or an exit,
// `--set key=value` training overrides, Markdown summary tables, and a failure's
// message with exit status 1.
import type { TrainOptions } from '../src/core/options';
import { datasetsRoot, missingDatasetsMessage } from './datasets';

/** The shared datasets' folder (datasets.ts); without one, says where it was looked for and exits with status 1. */
function datasetsRootOrExit(given?: string): string {
  const root = datasetsRoot(given);
  if (!root) {
    console.error(missingDatasetsMessage());
    process.exit(1);
  }
  return root;
}

/** The flags every seeded benchmark takes, to spread into its parseArgs options: --seeds, --json, --set key=value. */
export const SEEDED_FLAGS = {
  seeds: { type: 'string', default: '1,2,3' },
  json: { type: 'boolean' },
  set: { type: 'string', multiple: true },
} as const;

/** What SEEDED_FLAGS and the datasets folder (the first positional) give: the folder, the seeds and the overrides. */
export function seededSetup(given: string | undefined, values: { seeds: string; set?: string[] }) {
  return { root: datasetsRootOrExit(given), seeds: values.seeds.split(',').map(Number), overrides: trainingOverrides(values.set) };
}

/** `--set key=value` pairs as training options: true/false, a number, else the text (an empty value stays text). */
function trainingOverrides(pairs: readonly string[] | undefined): Partial<TrainOptions> {
  return Object.fromEntries(
    (pairs ?? []).map((kv) => {
      const [k, v] = kv.split('=');
      return [k, v === 'true' ? true : v === 'false' ? false : Number.isNaN(Number(v)) || v === '' ? v : Number(v)];
    }),
  );
}

export const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

/** A Markdown table whose columns are padded to their widest cell, so it also reads as plain text. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** Runs the benchmark; a failure prints its message (not a stack) and exits with status 1. */
export function runBenchmark(main: () => Promise<void>): void {
  main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
