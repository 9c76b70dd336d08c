// What the commands that analyse one dataset with models trained in memory share (check-labels, learning-curve; the
// dataset argument also relabel's): the one dataset named on the command line, read as the dataset flags say, and
// the training options of `textcat train`.
import { readDataset } from '../core/data/dataset';
import { resolveOptions, type TrainOptions } from '../core/options';
import type { LoadedDataset } from '../core/types';
import { datasetSpec } from './datasetFlags';
import { writeErr } from './output';
import { trainOptionsFrom } from './trainCommand';
import { UsageError } from './usage';

/** The command's one positional argument, its dataset. */
export function theDataset(command: string, positionals: readonly string[]): string {
  if (positionals.length !== 1)
    throw new UsageError(
      positionals.length ? `${command} takes one dataset, got ${positionals.length}` : `${command} needs a dataset`,
      command,
    );
  return positionals[0];
}

export interface TrainingInput {
  /** The path read (standard input's for `-`), as messages name it. */
  path: string;
  dataset: LoadedDataset;
  options: TrainOptions;
}

/** The training options the flags give, then the dataset read; its reader's warnings go to stderr unless `quiet`. */
export async function readTrainingInput(
  command: string,
  dataset: string,
  values: Record<string, unknown>,
  quiet: boolean,
): Promise<TrainingInput> {
  const options = resolveOptions(trainOptionsFrom(values, command));
  const { path, ...readOptions } = datasetSpec(dataset, values, command);
  const loaded = await readDataset(path, readOptions);
  if (!quiet) for (const warning of loaded.warnings) writeErr(`warning: ${warning}\n`);
  return { path, dataset: loaded, options };
}
