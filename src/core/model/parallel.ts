// Data parallelism for training: each batch is cut into `threads` chunks whose gradients are computed at the
// same time, one chunk here and the others in helper threads (src/worker/gradientWorker.ts), then summed.
// Prediction of many lines is shared out the same way; raw texts are tokenized by the thread that predicts them,
// handed out a chunk at a time to whichever thread is free, so no thread waits on another's tokenizing.
// The weights live in one SharedArrayBuffer: helpers see every Adam update without a copy, and nobody writes
// them while chunks are in flight. Each chunk seeds its own dropout, so the result depends on the number of
// chunks but not on where they ran; without a helper script (none passed in) chunks run here in turn.
// The caller passes the helper's script: only an entry point knows where it was bundled.
import { Worker } from 'node:worker_threads';
import { createRng } from '../random';
import { ThreadChannel, type Settle } from '../threadChannel';
import { RowSlots } from './rowSlots';
import { predictSequences, predictTextLines, TableStore } from './predict';
import { GradientBuffers, gradientList, gradientRows, trainStep, type BatchGradients, type IdBatch, type TrainStepResult } from './network';
import type { EncodedLine, Tokenizer } from '../text/tokenizer';
import { paramList, shareParams, type NetworkParams, type NetworkShape } from './params';
import type { GradientChunk, GradientReply, GradientRequest, PredictionChunk, TextChunk } from './threadMessages';

/** trainStep over one chunk; with `buffers`, the result is valid until the next chunk given the same ones. */
export function computeChunk(params: NetworkParams, shape: NetworkShape, chunk: GradientChunk, buffers?: GradientBuffers): TrainStepResult {
  const batch: IdBatch = { ids: chunk.ids, batchSize: chunk.batchSize, steps: chunk.steps, ngrams: chunk.ngrams };
  return trainStep(params, shape, batch, chunk.targets, chunk.weights, chunk.dropout, createRng(chunk.seed), chunk.normalizer, buffers);
}

export function predictChunk(params: NetworkParams, shape: NetworkShape, chunk: PredictionChunk): Float32Array {
  const tokens = unpack(chunk.ids, chunk.lengths);
  const ngrams = unpack(chunk.ngramIds, chunk.ngramLengths);
  return predictSequences(
    params,
    shape,
    tokens.map((t, i) => ({ tokens: t, ngrams: ngrams[i] })),
    chunk.maxLength,
  );
}

/** Lists of ids back to back, `lengths` saying where each ends (one transferable array instead of many). */
function pack(lists: readonly ArrayLike<number>[]): { ids: Int32Array; lengths: Int32Array } {
  const lengths = Int32Array.from(lists, (s) => s.length);
  const ids = new Int32Array(lengths.reduce((n, l) => n + l, 0));
  let at = 0;
  for (const s of lists) {
    ids.set(s, at);
    at += s.length;
  }
  return { ids, lengths };
}

function unpack(ids: Int32Array, lengths: Int32Array): number[][] {
  const out: number[][] = [];
  let at = 0;
  for (const length of lengths) {
    out.push(Array.from(ids.subarray(at, at + length)));
    at += length;
  }
  return out;
}

function packLines(lines: readonly EncodedLine[]): Pick<PredictionChunk, 'ids' | 'lengths' | 'ngramIds' | 'ngramLengths'> {
  const tokens = pack(lines.map((l) => l.tokens));
  const ngrams = pack(lines.map((l) => l.ngrams));
  return { ...tokens, ngramIds: ngrams.ids, ngramLengths: ngrams.lengths };
}

/** Below this many lines a prediction stays on this thread: a message round trip costs more than it saves. */
export const SHARED_PREDICTION_LINES = 512;

/** Raw texts handed to one thread at a time: large enough that a message costs little beside it, small enough to balance. */
const TEXT_CHUNK = 1024;

/** The id of a helper's init request; chunks are numbered from 0. */
const INIT_ID = -1;

/** One helper thread, spoken to over the shared request/reply channel; it answers its init with 'ready'. */
class Helper {
  private readonly channel: ThreadChannel<GradientRequest, GradientReply>;
  readonly ready: Promise<void>;
  /** Text chunks sent and not yet answered. */
  queued = 0;

  constructor(worker: Worker, init: Omit<Extract<GradientRequest, { type: 'init' }>, 'type' | 'id'>) {
    this.channel = new ThreadChannel(worker, 'gradient thread');
    this.ready = this.channel.request({ type: 'init', id: INIT_ID, ...init }, (reply, settle: Settle<void>) =>
      reply.type === 'ready' ? settle.resolve() : settle.reject(helperFailure(reply)),
    );
  }

  compute(chunk: GradientChunk): Promise<TrainStepResult> {
    return this.channel.request({ type: 'chunk', ...chunk }, (reply, settle: Settle<TrainStepResult>) =>
      reply.type === 'gradients' ? settle.resolve(reply.result) : settle.reject(helperFailure(reply)),
    );
  }

  predict(chunk: PredictionChunk): Promise<Float32Array> {
    return this.channel.request({ type: 'predict', ...chunk }, (reply, settle: Settle<Float32Array>) =>
      reply.type === 'probabilities' ? settle.resolve(reply.probabilities) : settle.reject(helperFailure(reply)),
    );
  }

  predictTexts(chunk: TextChunk): Promise<Float32Array> {
    this.queued++;
    const answered = this.channel.request({ type: 'predictTexts', ...chunk }, (reply, settle: Settle<Float32Array>) =>
      reply.type === 'probabilities' ? settle.resolve(reply.probabilities) : settle.reject(helperFailure(reply)),
    );
    return answered.finally(() => this.queued--);
  }

  terminate(): Promise<void> {
    return this.channel.close(new Error('the gradient pool was disposed'));
  }
}

function helperFailure(reply: GradientReply): Error {
  return new Error(`gradient thread: ${reply.type === 'failed' ? reply.message : `unexpected ${reply.type} reply`}`);
}

export class GradientPool {
  private nextId = 0;
  /** Bumped by `load`: helpers keep their projection tables for text predictions while it stays the same. */
  private weightsVersion = 0;
  /** This thread's projection tables for text predictions over the current weights. */
  private tableStore = new TableStore();
  /**
   * Gradient buffers for the chunks computed on this thread, one per chunk position (chunks without a helper run
   * here in turn, and each must keep its own until the step has summed them). A step's result holds those of
   * chunk 0: the caller is done with it before the next step.
   */
  private readonly localBuffers: GradientBuffers[] = [];

  private constructor(
    readonly params: NetworkParams,
    private readonly shape: NetworkShape,
    private readonly chunks: number,
    private readonly helpers: Helper[],
    private readonly tokenizer?: Tokenizer,
  ) {}

  /**
   * Moves `params` into shared memory (use the returned pool.params from now on) and starts chunks−1 helpers
   * running `helperScript` (src/worker/gradientWorker.ts as bundled); without one, every chunk runs here.
   * `tokenizer`: the model's, for predictTexts (every helper gets a copy).
   */
  static async create(
    params: NetworkParams,
    shape: NetworkShape,
    chunks: number,
    helperScript?: string,
    tokenizer?: Tokenizer,
  ): Promise<GradientPool> {
    const shared = shareParams(params, shape);
    const script = chunks > 1 ? helperScript : undefined;
    const init = { buffer: shared.buffer, lengths: shared.lengths, shape, ...(tokenizer ? { tokenizer: tokenizer.toJSON() } : {}) };
    const helpers = script ? Array.from({ length: chunks - 1 }, () => new Helper(new Worker(script), init)) : [];
    try {
      await Promise.all(helpers.map((h) => h.ready));
    } catch (error) {
      await Promise.all(helpers.map((h) => h.terminate()));
      throw error;
    }
    return new GradientPool(shared.params, shape, chunks, helpers, tokenizer);
  }

  get threads(): number {
    return this.helpers.length + 1;
  }

  /**
   * Gradients, loss and probabilities of the whole batch, as one trainStep over it would give (up to float sums).
   * `targets` as trainStep's: a class per row, or multi-hot rows of numClasses for a multi-label shape.
   * The LSTM's gradients in the result live in the pool's buffers: use them before the next step.
   */
  async step(batch: IdBatch, targets: number[], weights: number[], dropout: number, seed: number): Promise<TrainStepResult> {
    const targetWidth = this.shape.multiLabel ? this.shape.numClasses : 1;
    const parts = splitBatch(
      batch,
      { targets, targetWidth },
      weights,
      Math.min(this.chunks, batch.batchSize),
      dropout,
      seed,
      () => this.nextId++,
    );
    const remote = parts.slice(1).map((chunk, i) => (this.helpers[i] ? this.helpers[i].compute(chunk) : undefined));
    // Awaited in turn below; once one fails the rest are not, and must not end the process as unhandled.
    for (const pending of remote) pending?.catch(() => undefined);
    const local = (part: number) => computeChunk(this.params, this.shape, parts[part], (this.localBuffers[part] ??= new GradientBuffers()));
    const results = [local(0)];
    for (const [i, pending] of remote.entries()) results.push(pending ? await pending : local(i + 1));
    return combine(results, this.shape.embeddingDim, this.shape.numClasses);
  }

  /** Copies `from` into the shared weights (every thread sees them at its next chunk). */
  load(from: NetworkParams): void {
    const source = paramList(from);
    paramList(this.params).forEach((array, i) => array.set(source[i]));
    this.weightsVersion++;
    this.tableStore = new TableStore();
  }

  /**
   * predictSequences over the pool's current weights, the lines shared out over the threads (interleaved by
   * length so every share has about the same tokens). Each line's probabilities are the same wherever it ran.
   */
  async predict(sequences: readonly EncodedLine[], maxLength: number): Promise<Float32Array> {
    const shares = sequences.length >= SHARED_PREDICTION_LINES ? this.helpers.length + 1 : 1;
    if (shares === 1) return predictSequences(this.params, this.shape, sequences, maxLength);
    const byLength = sequences.map((_, i) => i).sort((a, b) => sequences[a].tokens.length - sequences[b].tokens.length);
    const members = Array.from({ length: shares }, (_, s) => byLength.filter((_, i) => i % shares === s));
    const remote = members
      .slice(1)
      .map((rows, h) => this.helpers[h].predict({ id: this.nextId++, ...packLines(rows.map((r) => sequences[r])), maxLength }));
    const results = [
      predictSequences(
        this.params,
        this.shape,
        members[0].map((r) => sequences[r]),
        maxLength,
      ),
      ...(await Promise.all(remote)),
    ];
    const K = this.shape.numClasses;
    const out = new Float32Array(sequences.length * K);
    members.forEach((rows, s) => rows.forEach((r, i) => out.set(results[s].subarray(i * K, (i + 1) * K), r * K)));
    return out;
  }

  /**
   * Probabilities [n, K] of raw texts, in input order, each tokenized, encoded and predicted by one thread: the
   * texts go out in chunks, each to a helper with fewer than `helperQueue` chunks waiting, else computed here
   * (then this thread yields, so finished helpers can take the next). A caller that keeps several requests in
   * flight and reads and writes meanwhile (a stream) passes Infinity: every chunk goes to the least busy helper.
   * Each line's probabilities are the same wherever it ran (predictSequences gives a line the same result in
   * any batch), so they equal predictTextLines on this thread.
   */
  async predictTexts(texts: readonly string[], helperQueue = 1): Promise<Float32Array> {
    const tokenizer = this.tokenizer;
    if (!tokenizer) throw new Error("predictTexts needs a pool created with the model's tokenizer");
    if (texts.length < SHARED_PREDICTION_LINES || this.helpers.length === 0)
      return predictTextLines(this.params, this.shape, tokenizer, texts, this.tableStore);
    const computing = helperQueue === Infinity ? this.helpers.length : this.threads;
    const size = Math.min(TEXT_CHUNK, Math.ceil(texts.length / computing));
    const parts: Promise<Float32Array>[] = [];
    for (let start = 0; start < texts.length; start += size) {
      const chunk = texts.slice(start, start + size);
      const free = this.helpers.reduce<Helper | undefined>((best, h) => (h.queued < (best?.queued ?? helperQueue) ? h : best), undefined);
      if (free) {
        const answer = free.predictTexts({ id: this.nextId++, texts: chunk, weightsVersion: this.weightsVersion });
        answer.catch(() => undefined); // handled by Promise.all below; not "unhandled" while this thread computes
        parts.push(answer);
      } else {
        parts.push(Promise.resolve(predictTextLines(this.params, this.shape, tokenizer, chunk, this.tableStore)));
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    const results = await Promise.all(parts);
    const out = new Float32Array(texts.length * this.shape.numClasses);
    let at = 0;
    for (const r of results) {
      out.set(r, at);
      at += r.length;
    }
    return out;
  }

  async dispose(): Promise<void> {
    await Promise.all(this.helpers.map((h) => h.terminate()));
  }
}

function splitBatch(
  batch: IdBatch,
  { targets, targetWidth }: { targets: number[]; targetWidth: number },
  weights: number[],
  parts: number,
  dropout: number,
  seed: number,
  nextId: () => number,
): GradientChunk[] {
  const { batchSize: B, steps: T, ngrams } = batch;
  const size = Math.ceil(B / parts);
  const chunks: GradientChunk[] = [];
  for (let start = 0, part = 0; start < B; start += size, part++) {
    const end = Math.min(B, start + size);
    chunks.push({
      id: nextId(),
      ids: batch.ids.slice(start * T, end * T),
      batchSize: end - start,
      steps: T,
      ngrams: ngrams && {
        ids: ngrams.ids.slice(ngrams.offsets[start], ngrams.offsets[end]),
        offsets: ngrams.offsets.slice(start, end + 1).map((o) => o - ngrams.offsets[start]),
      },
      targets: targets.slice(start * targetWidth, end * targetWidth),
      weights: weights.slice(start, end),
      dropout,
      seed: (Math.imul(seed, 31) + part) >>> 0,
      normalizer: B,
    });
  }
  return chunks;
}

function combine(results: TrainStepResult[], embeddingDim: number, classes: number): TrainStepResult {
  if (results.length === 1) return results[0];
  const probabilities = new Float32Array(results.reduce((n, r) => n + r.probabilities.length, 0));
  let offset = 0;
  for (const r of results) {
    probabilities.set(r.probabilities, offset);
    offset += r.probabilities.length;
  }
  return {
    loss: results.reduce((sum, r) => sum + r.loss, 0),
    probabilities,
    gradients: sumGradients(
      results.map((r) => r.gradients),
      embeddingDim,
      classes,
    ),
  };
}

function sumGradients(parts: BatchGradients[], dim: number, classes: number): BatchGradients {
  const [first, ...rest] = parts;
  const add = (into: Float32Array, from: Float32Array) => {
    for (let i = 0; i < into.length; i++) into[i] += from[i];
  };
  // Every array but the row-sparse ones (the embedding's, the wide table's) lines up from chunk to chunk.
  const into = gradientList(first);
  const sparse = gradientRows(first);
  for (const g of rest) gradientList(g).forEach((from, i) => !sparse[i] && add(into[i], from));
  const embedding = sumRows(
    parts.map((g) => ({ rows: g.embeddingRows, grads: g.embedding })),
    dim,
  );
  const summed: BatchGradients = { ...first, embeddingRows: embedding.rows, embedding: embedding.grads };
  if (first.wide) {
    const wide = sumRows(
      parts.map((g) => ({ rows: g.wideRows!, grads: g.wide! })),
      classes,
    );
    Object.assign(summed, { wideRows: wide.rows, wide: wide.grads });
  }
  return summed;
}

/**
 * Row-sparse gradients summed: the union of every chunk's rows (the first chunk's in its order, then new ones),
 * a row's gradient summed over the chunks that used it.
 */
function sumRows(parts: { rows: Int32Array; grads: Float32Array }[], width: number): { rows: Int32Array; grads: Float32Array } {
  const [first, ...rest] = parts;
  let [highest, total] = [-1, 0];
  for (const g of parts) {
    for (const row of g.rows) highest = Math.max(highest, row);
    total += g.rows.length;
  }
  return rowSlots.use(highest + 1, total, (numbering) => {
    for (const g of parts) for (const row of g.rows) numbering.slotOf(row);
    const grads = new Float32Array(numbering.count * width);
    grads.set(first.grads);
    for (const g of rest) {
      for (let r = 0; r < g.rows.length; r++) {
        const to = numbering.slotOf(g.rows[r]) * width;
        const at = r * width;
        for (let d = 0; d < width; d++) grads[to + d] += g.grads[at + d];
      }
    }
    return { rows: numbering.distinct().slice(), grads };
  });
}

const rowSlots = new RowSlots();
