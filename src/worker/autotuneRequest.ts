// The worker's side of Train with Autotune: core's autotune job (the search, the chosen model saved) with each of its
// callbacks told to the host as an AutotuneEvent. Progress arrives once per batch of every trial's every fold; the
// host redraws a clock and a bar from it, so a few reports a second are plenty.
import { autotuneJob } from '../core/autotune/autotuneJob';
import { DEFAULT_OPTIONS, resolveOptions } from '../core/options';
import { changesFrom } from '../core/autotune/autotuneSpace';
import type { AutotuneEvent, WorkerReply, WorkerRequest } from '../protocol/worker';
import { HELPER_SCRIPT } from './helperScript';

/** The least time between two progress events of one search (an epoch's end is always told). */
const PROGRESS_INTERVAL_MS = 250;

export async function runAutotune(
  request: Extract<WorkerRequest, { type: 'autotune' }>,
  signal: AbortSignal,
  send: (reply: WorkerReply) => void,
): Promise<WorkerReply> {
  const tell = (event: AutotuneEvent) => send({ type: 'autotuneEvent', id: request.id, event });
  let lastProgress = 0;
  const { manifest, record } = await autotuneJob({
    dataset: request.dataset,
    options: request.options,
    fixed: request.fixed,
    budgetSeconds: request.budgetSeconds,
    modelDir: request.modelDir,
    signal,
    helperScript: HELPER_SCRIPT,
    onDatasetLoaded: (loaded, folds) =>
      tell({
        kind: 'started',
        rows: loaded.examples.length,
        classes: new Set(loaded.examples.map((e) => e.label)).size,
        folds,
        start: changesFrom(DEFAULT_OPTIONS, resolveOptions(request.options)),
      }),
    onTrialStart: (index, changes) => tell({ kind: 'trialStarted', index, changes }),
    onProgress: (trial, fold, progress) => {
      const now = performance.now();
      if (!progress.epochDone && now - lastProgress < PROGRESS_INTERVAL_MS) return;
      lastProgress = now;
      tell({ kind: 'progress', trial, fold, progress });
    },
    onTrial: (trial, _trials, best) => tell({ kind: 'trialEnded', trial, best }),
    onStopped: (why, skipped) => tell({ kind: 'stopped', why, ...(skipped ? { skipped } : {}) }),
    onFinalStep: (step) => tell({ kind: 'finalStep', step }),
  });
  // As after a plain training: the host reads the folder through its checked reader; the reply needs no tokenizer.
  const { tokenizer: _tokenizer, split: _split, ...summary } = manifest;
  return { type: 'autotuned', id: request.id, manifest: summary, record };
}
