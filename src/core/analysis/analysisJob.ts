// The start the worker's dataset analyses share (Find Likely Label Errors, the learning curve): the dataset read as
// the request names it, and the user's training options checked and completed with the defaults.
import { readDataset } from '../data/dataset';
import type { DatasetSpec } from '../jobs';
import { resolveOptions, type TrainOptions } from '../options';
import type { LoadedDataset } from '../types';

/** A dataset to analyse with models trained in memory (nothing written), and the training options they take. */
export interface AnalysisJob {
  dataset: DatasetSpec;
  options: Partial<TrainOptions>;
}

/** The job's dataset, read, and its training options, resolved. */
export async function readAnalysisJob(job: AnalysisJob): Promise<{ loaded: LoadedDataset; options: TrainOptions }> {
  const { path, ...readOptions } = job.dataset;
  const loaded = await readDataset(path, readOptions);
  return { loaded, options: resolveOptions(job.options) };
}
