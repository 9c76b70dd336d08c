// Where the benchmarks find the shared datasets: a path given on the command line or in TEXTCAT_DATASETS,
// else ../shared/datasets next to the repository.
import * as fs from 'node:fs';
import * as path from 'node:path';

export function datasetsRoot(given?: string): string | undefined {
  const candidates = [given, process.env.TEXTCAT_DATASETS, path.resolve(__dirname, '..', '..', 'shared', 'datasets')];
  return candidates.find((c): c is string => !!c && fs.existsSync(c));
}

export function missingDatasetsMessage(): string {
  return 'shared datasets not found: pass a folder (or set TEXTCAT_DATASETS) holding <name>/train.csv and <name>/test.csv, e.g. ../shared/datasets';
}
