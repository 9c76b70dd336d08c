// The autotune job every front end runs (CLI, worker): a dataset in, the search (autotune.ts), the chosen model saved
// to a model folder as trainJob saves one, with the search in its textcat.json. Nothing is written until the search
// and the final training are done: a cancelled or failed search leaves an earlier model as it was.
import { autotune, foldsFor, MULTI_LABEL_REFUSAL, type AutotuneInput } from './autotune';
import type { AutotuneRecord } from './autotuneRecord';
import { initBackend } from '../backend';
import { readDataset } from '../data/dataset';
import type { DatasetSpec } from '../jobs';
import { resolveOptions, type TrainOptions } from '../options';
import { checkModelDestination, saveModel, summarizeDataset, type DatasetInfo, type ModelManifest } from '../store/modelStore';
import { isMultiLabel, TextcatError, type LoadedDataset } from '../types';

export interface AutotuneJob extends Pick<
  AutotuneInput,
  | 'budgetSeconds'
  | 'fixed'
  | 'folds'
  | 'space'
  | 'onTrialStart'
  | 'onTrial'
  | 'onProgress'
  | 'onStopped'
  | 'onPassedOver'
  | 'onFinalStep'
  | 'signal'
  | 'helperScript'
> {
  dataset: DatasetSpec;
  test?: DatasetSpec;
  /** The first trial's options (defaults filled in). */
  options?: Partial<TrainOptions>;
  modelDir: string;
  /** Once the dataset is read, before the first trial: its rows, and how many folds score each trial. */
  onDatasetLoaded?: (loaded: LoadedDataset, folds: number) => void;
}

export async function autotuneJob(job: AutotuneJob): Promise<{ manifest: ModelManifest; record: AutotuneRecord }> {
  const options = resolveOptions(job.options);
  // Before anything is read: a folder of the user's own files is refused now, not after the whole budget.
  const modelDir = checkModelDestination(job.modelDir);
  const { path: file, ...readOptions } = job.dataset;
  const loaded = await readDataset(file, readOptions);
  const test = job.test ? await readDataset(job.test.path, { ...readOptions, ...withoutPath(job.test) }) : undefined;
  // Before anything is said about folds or budgets: the search scores single-label macro-F1 only.
  if (isMultiLabel(loaded.examples)) throw new TextcatError(MULTI_LABEL_REFUSAL, loaded.path);
  job.onDatasetLoaded?.(loaded, foldsFor(loaded.examples.length, job.folds));
  await initBackend();
  const { model, record } = await autotune({
    examples: loaded.examples,
    test: test?.examples,
    options,
    budgetSeconds: job.budgetSeconds,
    fixed: job.fixed,
    folds: job.folds,
    space: job.space,
    onTrialStart: job.onTrialStart,
    onTrial: job.onTrial,
    onProgress: job.onProgress,
    onStopped: job.onStopped,
    onPassedOver: job.onPassedOver,
    onFinalStep: job.onFinalStep,
    signal: job.signal,
    helperScript: job.helperScript,
  });
  const info: DatasetInfo = summarizeDataset(
    loaded.examples,
    { path: loaded.path, format: loaded.format, columns: loaded.columns, sha256: loaded.sha256, warnings: loaded.warnings },
    model.tokenizer,
  );
  return { manifest: await saveModel(modelDir, model, info, { autotune: record }), record };
}

function withoutPath(spec: DatasetSpec): Omit<DatasetSpec, 'path'> {
  const { path: _ignored, ...rest } = spec;
  return rest;
}
