// Host side of the manifest reader (manifestReader.ts): one short-lived thread per read, under a heap limit, so
// that neither the parse of a huge textcat.json nor its memory lands on the extension host's own thread and heap.
// Imports no tfjs.
import { Worker } from 'node:worker_threads';
import type { ModelSummary } from '../protocol/types';
import type { ManifestReply } from '../protocol/worker';
import { CancelledError } from '../core/types';
import { WorkerError } from './client';

/** Heap for one read: a manifest at core's size ceiling (256 MiB) parses in less; one that needs more is refused. */
const READER_HEAP_MB = 1536;

/**
 * The checked summary of `dir`/textcat.json, undefined when the folder has none; rejects with a WorkerError, or a
 * CancelledError once `signal` aborts (the thread is stopped then: a read overtaken by a newer one parses nothing more).
 */
export function readModelSummaryOffThread(script: string, dir: string, signal?: AbortSignal): Promise<ModelSummary | undefined> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new CancelledError());
    const worker = new Worker(script, { workerData: { dir }, resourceLimits: { maxOldGenerationSizeMb: READER_HEAP_MB } });
    signal?.addEventListener('abort', () => settle(() => reject(new CancelledError())), { once: true });
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
      void worker.terminate();
    };
    worker.once('message', (reply: ManifestReply) =>
      settle(() => {
        if (reply.type === 'summary') resolve(reply.summary);
        else if (reply.type === 'none') resolve(undefined);
        else reject(new WorkerError(reply.message, reply.userError, reply.file, reply.line));
      }),
    );
    worker.once('error', (error: Error & { code?: string }) =>
      settle(() => {
        const tooLarge = error.code === 'ERR_WORKER_OUT_OF_MEMORY';
        const message = tooLarge
          ? `${dir}/textcat.json: needs more than ${READER_HEAP_MB} MiB of memory to read; the model is damaged, train it again`
          : `internal error: the manifest reader failed (${error.message})`;
        reject(new WorkerError(message, tooLarge, tooLarge ? `${dir}/textcat.json` : undefined));
      }),
    );
    worker.once('exit', (code) => settle(() => reject(new WorkerError(`internal error: the manifest reader exited with ${code}`, false))));
  });
}
