// The baseline in a thread of its own, beside the LSTM's training (issue 18). On 2 cores the LSTM's helper thread
// waits much of the time, and the baseline ran first, on the training thread, while it waited (docs/performance.md
// has a profile and the times before and after). The LSTM does not read the baseline until its epochs are over
// (the combination, the summary), so it trains meanwhile. The thread runs the gradient helper's script (src/worker/gradientWorker.ts
// answers a 'baseline' request), so no bundle is added. The baseline is deterministic given its input, and its
// input and result cross as exact copies (ids and indices as int32, targets as float64, its arrays as they are),
// so a run gives bit for bit what the same run on the training thread gives.
import { Worker, type TransferListItem } from 'node:worker_threads';
import { ownBuffers, ThreadChannel, type Settle } from '../threadChannel';
import { CancelledError, TextcatError } from '../types';
import { trainBaseline, type Baseline, type BaselineInput } from './index';

/** Lists of ids back to back, `offsets` [lists + 1] saying where each starts and ends. */
interface PackedLines {
  ids: Int32Array;
  offsets: Int32Array;
}

/** A BaselineInput as one message of typed arrays, moved to the thread without a copy. */
interface PackedBaselineInput {
  lines: PackedLines;
  targets: Float64Array;
  multiLabel: boolean;
  train: Int32Array;
  validation: Int32Array;
  labels: string[];
  rows: number;
  seed: number;
  test?: { lines: PackedLines; truth: Float64Array; labels: string[] };
}

export type BaselineRequest = { type: 'baseline'; id: number } & PackedBaselineInput;

export type BaselineReply =
  | { type: 'baseline'; id: number; baseline: Baseline }
  /** `textcat`: a TextcatError (a message for a person), rebuilt as one on the training thread. */
  | { type: 'baselineFailed'; id: number; message: string; stack?: string; textcat: boolean };

type Signal = { readonly aborted: boolean } | undefined;

/** How often a training that waits for the thread's result looks at its cancel signal. */
const CANCEL_POLL_MS = 50;

/**
 * One baseline's training: on this thread before the LSTM where no thread is wanted (no helper script, one thread,
 * a warm start, whose starting weights need the baseline's bias), else in a thread of its own from `start` on.
 */
export class BaselineRun {
  private channel: ThreadChannel<BaselineRequest, BaselineReply> | undefined;
  private pending: Promise<Baseline> | undefined;
  private disposed = false;
  /** Why the thread failed, once it has: `watch` then aborts the training, which rejects with this instead. */
  failure: Error | undefined;

  private constructor(
    private readonly input: BaselineInput,
    private readonly script: string | undefined,
    private done: Baseline | undefined,
  ) {}

  /** Trains the baseline here and now without a `script`; with one, keeps its input for `start`. */
  static async prepare(script: string | undefined, input: BaselineInput): Promise<BaselineRun> {
    return new BaselineRun(input, script, script ? undefined : await trainBaseline(input));
  }

  /** The baseline trained on this thread by prepare, for what needs it before the LSTM trains (a warm start). */
  get trainedHere(): Baseline {
    if (!this.done) throw new Error('the baseline trains in its own thread: await result()');
    return this.done;
  }

  /** Starts the thread (once; nothing without a script). Its failure is kept in `failure`, not thrown here. */
  start(): void {
    if (!this.script || this.channel || this.disposed) return;
    const { message, transfer } = pack(this.input);
    this.channel = new ThreadChannel(new Worker(this.script), 'baseline thread');
    this.pending = this.channel.request(
      { type: 'baseline', id: 0, ...message },
      (reply, settle: Settle<Baseline>) => (reply.type === 'baseline' ? settle.resolve(reply.baseline) : settle.reject(failureOf(reply))),
      transfer,
    );
    this.pending.catch((error: Error) => {
      if (!this.disposed) this.failure = error;
    });
  }

  /** A signal aborted when `signal` is or when the thread has failed, so a training stops at its next check. */
  watch(signal: Signal): { readonly aborted: boolean } {
    const failed = () => this.failure !== undefined;
    return {
      get aborted() {
        return signal?.aborted === true || failed();
      },
    };
  }

  /** The trained baseline. Waiting for the thread, a cancelled `signal` rejects within CANCEL_POLL_MS. */
  async result(signal?: Signal): Promise<Baseline> {
    if (this.done) return this.done;
    if (!this.pending) throw new Error('the baseline thread was never started');
    if (!signal) return (this.done = await this.pending);
    if (signal.aborted) throw new CancelledError('training cancelled');
    let timer: NodeJS.Timeout | undefined;
    const cancelled = new Promise<never>((_, reject) => {
      timer = setInterval(() => signal.aborted && reject(new CancelledError('training cancelled')), CANCEL_POLL_MS);
    });
    try {
      this.done = await Promise.race([this.pending, cancelled]);
      return this.done;
    } finally {
      clearInterval(timer);
    }
  }

  /** Stops the thread, done or not; safe to call more than once. */
  async dispose(): Promise<void> {
    this.disposed = true;
    await this.channel?.close(new Error('the baseline thread was stopped'));
  }
}

/** The thread's side: trains the baseline a request describes and says how it went. */
export async function answerBaseline(request: BaselineRequest): Promise<{ reply: BaselineReply; transfer: TransferListItem[] }> {
  try {
    const baseline = await trainBaseline(unpack(request));
    const arrays = [baseline.table, baseline.bias, ...(baseline.validationProbabilities ? [baseline.validationProbabilities] : [])];
    return { reply: { type: 'baseline', id: request.id, baseline }, transfer: ownBuffers(arrays) };
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    const reply: BaselineReply = {
      type: 'baselineFailed',
      id: request.id,
      message: e.message,
      stack: e.stack,
      textcat: e instanceof TextcatError,
    };
    return { reply, transfer: [] };
  }
}

function failureOf(reply: Extract<BaselineReply, { type: 'baselineFailed' }>): Error {
  // The message as it was: a TextcatError's already carries its file and line.
  const error = reply.textcat ? Object.assign(new TextcatError(''), { message: reply.message }) : new Error(reply.message);
  if (reply.stack) error.stack = reply.stack;
  return error;
}

function packLines(lines: readonly ArrayLike<number>[]): PackedLines {
  const offsets = new Int32Array(lines.length + 1);
  lines.forEach((line, i) => (offsets[i + 1] = offsets[i] + line.length));
  const ids = new Int32Array(offsets[lines.length]);
  lines.forEach((line, i) => ids.set(line, offsets[i]));
  return { ids, offsets };
}

/** Views into the one array (ngramBatch copies them as it would lists): no list of numbers per line in the thread. */
function unpackLines({ ids, offsets }: PackedLines): Int32Array[] {
  return Array.from({ length: offsets.length - 1 }, (_, i) => ids.subarray(offsets[i], offsets[i + 1]));
}

function pack(input: BaselineInput): { message: PackedBaselineInput; transfer: TransferListItem[] } {
  const test = input.test && {
    lines: packLines(input.test.lines),
    truth: Float64Array.from(input.test.truth),
    labels: [...input.test.labels],
  };
  const message: PackedBaselineInput = {
    lines: packLines(input.lines),
    targets: Float64Array.from(input.targets),
    multiLabel: input.multiLabel === true,
    train: Int32Array.from(input.split.train),
    validation: Int32Array.from(input.split.validation),
    labels: [...input.labels],
    rows: input.rows,
    seed: input.seed,
    ...(test ? { test } : {}),
  };
  const arrays = [message.lines.ids, message.lines.offsets, message.targets, message.train, message.validation];
  if (test) arrays.push(test.lines.ids, test.lines.offsets, test.truth);
  return { message, transfer: arrays.map((a) => a.buffer as ArrayBuffer) };
}

function unpack(message: PackedBaselineInput): BaselineInput {
  return {
    lines: unpackLines(message.lines),
    targets: Array.from(message.targets),
    ...(message.multiLabel ? { multiLabel: true } : {}),
    split: { train: Array.from(message.train), validation: Array.from(message.validation) },
    labels: message.labels,
    rows: message.rows,
    seed: message.seed,
    ...(message.test
      ? { test: { lines: unpackLines(message.test.lines), truth: Array.from(message.test.truth), labels: message.test.labels } }
      : {}),
  };
}
