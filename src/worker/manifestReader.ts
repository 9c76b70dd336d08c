// A thread of its own that reads one model folder's textcat.json through core's checked reader and answers once.
// The extension host never parses a manifest itself: one from a cloned repository may be hundreds of megabytes
// (a parse that would stall every extension sharing the host) or hold a million labels. This thread loads no
// tfjs, starts in milliseconds, and runs under a heap limit set by its host (manifestClient.ts).
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { errorDetail } from '../core/format/errorText';
import { exists, MANIFEST_FILE } from '../core/store/modelFolder';
import { readModelSummary } from '../core/store/modelSummary';
import { TextcatError } from '../core/types';
import type { ManifestReply } from '../protocol/worker';

function answer(dir: string): ManifestReply {
  try {
    if (!exists(join(dir, MANIFEST_FILE))) return { type: 'none' };
    return { type: 'summary', summary: readModelSummary(dir) };
  } catch (error) {
    // Removed between the check and the read (a save swaps the folder): no model now, not a damaged one.
    if (!exists(join(dir, MANIFEST_FILE))) return { type: 'none' };
    if (error instanceof TextcatError)
      return { type: 'error', message: error.message, userError: true, file: error.file, line: error.line };
    return { type: 'error', message: `internal error: ${errorDetail(error)}`, userError: false };
  }
}

if (!parentPort) throw new Error('manifest-reader.js must run in a worker thread');
parentPort.postMessage(answer((workerData as { dir: string }).dir));
