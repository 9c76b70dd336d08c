// Data parallelism for training: each batch is cut into `threads` chunks whose gradients are computed at the
// same time, one chunk here and the others in helper threads (src/worker/gradientWorker.ts), then summed.
// Prediction of many lines is shared out the same way.
// The weights live in one SharedArrayBuffer: helpers see every Adam update without a copy, and nobody writes
// them while chunks are in flight. Each chunk seeds its own dropout, so the result depends on the number of
// chunks but not on where they ran; without the helper bundle (tests from source) chunks run here in turn.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { createRng } from '../random';
import { ThreadChannel, type Settle } from '../threadChannel';
import { predictSequences } from './predict';
import { gradientList, trainStep, type BatchGradients, type IdBatch, type TrainStepResult } from './network';
import { paramList, shareParams, type NetworkParams, type NetworkShape } from './params';
import type { GradientChunk, GradientReply, GradientRequest, PredictionChunk } from './threadMessages';

const HELPER_BUNDLE = 'gradient-worker.js';

/** The helper bundle next to the running bundle (dist/), or in dist/ when running from source. */
function helperScript(): string | undefined {
  const candidates = [path.join(__dirname, HELPER_BUNDLE), path.resolve(__dirname, '..', '..', '..', 'dist', HELPER_BUNDLE)];
  return candidates.find((file) => fs.existsSync(file));
}

export function computeChunk(params: NetworkParams, shape: NetworkShape, chunk: GradientChunk): TrainStepResult {
  const batch: IdBatch = { ids: chunk.ids, batchSize: chunk.batchSize, steps: chunk.steps };
  return trainStep(params, shape, batch, chunk.targets, chunk.weights, chunk.dropout, createRng(chunk.seed), chunk.normalizer);
}

export function predictChunk(params: NetworkParams, shape: NetworkShape, chunk: PredictionChunk): Float32Array {
  return predictSequences(params, shape, unpackSequences(chunk.ids, chunk.lengths), chunk.maxLength);
}

function packSequences(sequences: readonly number[][]): { ids: Int32Array; lengths: Int32Array } {
  const lengths = Int32Array.from(sequences, (s) => s.length);
  const ids = new Int32Array(lengths.reduce((n, l) => n + l, 0));
  let at = 0;
  for (const s of sequences) {
    ids.set(s, at);
    at += s.length;
  }
  return { ids, lengths };
}

function unpackSequences(ids: Int32Array, lengths: Int32Array): number[][] {
  const out: number[][] = [];
  let at = 0;
  for (const length of lengths) {
    out.push(Array.from(ids.subarray(at, at + length)));
    at += length;
  }
  return out;
}

/** Below this many lines a prediction stays on this thread: a message round trip costs more than it saves. */
export const SHARED_PREDICTION_LINES = 512;

/** The id of a helper's init request; chunks are numbered from 0. */
const INIT_ID = -1;

/** One helper thread, spoken to over the shared request/reply channel; it answers its init with 'ready'. */
class Helper {
  private readonly channel: ThreadChannel<GradientRequest, GradientReply>;
  readonly ready: Promise<void>;

  constructor(worker: Worker, init: { buffer: SharedArrayBuffer; lengths: number[]; shape: NetworkShape }) {
    this.channel = new ThreadChannel(worker, 'gradient thread');
    this.ready = this.channel.request({ type: 'init', id: INIT_ID, ...init }, (_reply, settle: Settle<void>) => settle.resolve());
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

  terminate(): Promise<void> {
    return this.channel.close(new Error('the gradient pool was disposed'));
  }
}

function helperFailure(reply: GradientReply): Error {
  return new Error(`gradient thread: ${reply.type === 'failed' ? reply.message : `unexpected ${reply.type} reply`}`);
}

export class GradientPool {
  private nextId = 0;

  private constructor(
    readonly params: NetworkParams,
    private readonly shape: NetworkShape,
    private readonly chunks: number,
    private readonly helpers: Helper[],
  ) {}

  /** Moves `params` into shared memory (use the returned pool.params from now on) and starts chunks−1 helpers. */
  static async create(params: NetworkParams, shape: NetworkShape, chunks: number, useHelpers = true): Promise<GradientPool> {
    const shared = shareParams(params);
    const script = chunks > 1 && useHelpers ? helperScript() : undefined;
    const helpers = script
      ? Array.from({ length: chunks - 1 }, () => new Helper(new Worker(script), { buffer: shared.buffer, lengths: shared.lengths, shape }))
      : [];
    try {
      await Promise.all(helpers.map((h) => h.ready));
    } catch (error) {
      await Promise.all(helpers.map((h) => h.terminate()));
      throw error;
    }
    return new GradientPool(shared.params, shape, chunks, helpers);
  }

  get threads(): number {
    return this.helpers.length + 1;
  }

  /** Gradients, loss and probabilities of the whole batch, as one trainStep over it would give (up to float sums). */
  async step(batch: IdBatch, targets: number[], weights: number[], dropout: number, seed: number): Promise<TrainStepResult> {
    const parts = splitBatch(batch, targets, weights, Math.min(this.chunks, batch.batchSize), dropout, seed, () => this.nextId++);
    const remote = parts.slice(1).map((chunk, i) => (this.helpers[i] ? this.helpers[i].compute(chunk) : undefined));
    const results = [computeChunk(this.params, this.shape, parts[0])];
    for (const [i, pending] of remote.entries())
      results.push(pending ? await pending : computeChunk(this.params, this.shape, parts[i + 1]));
    return combine(results, this.shape.embeddingDim);
  }

  /** Copies `from` into the shared weights (every thread sees them at its next chunk). */
  load(from: NetworkParams): void {
    const source = paramList(from);
    paramList(this.params).forEach((array, i) => array.set(source[i]));
  }

  /**
   * predictSequences over the pool's current weights, the lines shared out over the threads (interleaved by
   * length so every share has the same work). Each line's probabilities are the same wherever it ran.
   */
  async predict(sequences: readonly number[][], maxLength: number): Promise<Float32Array> {
    const shares = sequences.length >= SHARED_PREDICTION_LINES ? this.helpers.length + 1 : 1;
    if (shares === 1) return predictSequences(this.params, this.shape, sequences, maxLength);
    const byLength = sequences.map((_, i) => i).sort((a, b) => sequences[a].length - sequences[b].length);
    const members = Array.from({ length: shares }, (_, s) => byLength.filter((_, i) => i % shares === s));
    const remote = members
      .slice(1)
      .map((rows, h) => this.helpers[h].predict({ id: this.nextId++, ...packSequences(rows.map((r) => sequences[r])), maxLength }));
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

  async dispose(): Promise<void> {
    await Promise.all(this.helpers.map((h) => h.terminate()));
  }
}

function splitBatch(
  batch: IdBatch,
  targets: number[],
  weights: number[],
  parts: number,
  dropout: number,
  seed: number,
  nextId: () => number,
): GradientChunk[] {
  const { batchSize: B, steps: T } = batch;
  const size = Math.ceil(B / parts);
  const chunks: GradientChunk[] = [];
  for (let start = 0, part = 0; start < B; start += size, part++) {
    const end = Math.min(B, start + size);
    chunks.push({
      id: nextId(),
      ids: batch.ids.slice(start * T, end * T),
      batchSize: end - start,
      steps: T,
      targets: targets.slice(start, end),
      weights: weights.slice(start, end),
      dropout,
      seed: (Math.imul(seed, 31) + part) >>> 0,
      normalizer: B,
    });
  }
  return chunks;
}

function combine(results: TrainStepResult[], embeddingDim: number): TrainStepResult {
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
    ),
  };
}

function sumGradients(parts: BatchGradients[], dim: number): BatchGradients {
  const [first, ...rest] = parts;
  const add = (into: Float32Array, from: Float32Array) => {
    for (let i = 0; i < into.length; i++) into[i] += from[i];
  };
  // Every array but the embedding rows (index 0) lines up from chunk to chunk.
  const into = gradientList(first);
  for (const g of rest) gradientList(g).forEach((from, i) => i > 0 && add(into[i], from));
  // Embedding rows: the union of every chunk's rows (the first chunk's in its order, then new ones), a row's
  // gradient summed over the chunks that used it.
  const slot = new Map<number, number>();
  first.embeddingRows.forEach((row, r) => slot.set(row, r));
  for (const g of rest) for (const row of g.embeddingRows) if (!slot.has(row)) slot.set(row, slot.size);
  const embedding = new Float32Array(slot.size * dim);
  embedding.set(first.embedding);
  for (const g of rest) {
    const rows = g.embeddingRows;
    const from = g.embedding;
    for (let r = 0; r < rows.length; r++) {
      const to = slot.get(rows[r])! * dim;
      const at = r * dim;
      for (let d = 0; d < dim; d++) embedding[to + d] += from[at + d];
    }
  }
  return { ...first, embeddingRows: Int32Array.from(slot.keys()), embedding };
}
