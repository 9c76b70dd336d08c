// Data parallelism for training: each batch is cut into `threads` chunks whose gradients are computed at the
// same time, one chunk here and the others in helper threads (src/worker/gradientWorker.ts), then summed.
// The weights live in one SharedArrayBuffer: helpers see every Adam update without a copy, and nobody writes
// them while chunks are in flight. Each chunk seeds its own dropout, so the result depends on the number of
// chunks but not on where they ran; without the helper bundle (tests from source) chunks run here in turn.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { GradientChunk, GradientReply, GradientRequest } from '../../protocol';
import { createRng } from '../random';
import { trainStep, type BatchGradients, type IdBatch, type TrainStepResult } from './network';
import { shareParams, type NetworkParams, type NetworkShape } from './params';

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

class Helper {
  private readonly pending = new Map<number, { resolve: (r: TrainStepResult) => void; reject: (e: Error) => void }>();
  readonly ready: Promise<void>;

  constructor(private readonly worker: Worker, init: GradientRequest) {
    this.ready = new Promise((resolve, reject) => {
      worker.on('message', (reply: GradientReply) => {
        if (reply.type === 'ready') return resolve();
        const waiter = this.pending.get(reply.id);
        this.pending.delete(reply.id);
        if (reply.type === 'gradients') waiter?.resolve(reply.result);
        else waiter?.reject(new Error(`gradient thread: ${reply.message}`));
      });
      const fail = (error: Error) => {
        reject(error);
        for (const waiter of this.pending.values()) waiter.reject(error);
        this.pending.clear();
      };
      worker.on('error', fail);
      worker.on('exit', (code) => fail(new Error(`gradient thread exited with code ${code}`)));
    });
    worker.postMessage(init);
  }

  compute(chunk: GradientChunk): Promise<TrainStepResult> {
    return new Promise((resolve, reject) => {
      this.pending.set(chunk.id, { resolve, reject });
      this.worker.postMessage({ type: 'chunk', ...chunk } satisfies GradientRequest);
    });
  }

  terminate(): Promise<number> {
    this.worker.removeAllListeners('exit');
    return this.worker.terminate();
  }
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
      ? Array.from({ length: chunks - 1 }, () => new Helper(new Worker(script), { type: 'init', buffer: shared.buffer, lengths: shared.lengths, shape }))
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
    for (const [i, pending] of remote.entries()) results.push(pending ? await pending : computeChunk(this.params, this.shape, parts[i + 1]));
    return combine(results, this.shape.embeddingDim);
  }

  async dispose(): Promise<void> {
    await Promise.all(this.helpers.map((h) => h.terminate()));
  }
}

function splitBatch(batch: IdBatch, targets: number[], weights: number[], parts: number, dropout: number, seed: number, nextId: () => number): GradientChunk[] {
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
  return { loss: results.reduce((sum, r) => sum + r.loss, 0), probabilities, gradients: sumGradients(results.map((r) => r.gradients), embeddingDim) };
}

function sumGradients(parts: BatchGradients[], dim: number): BatchGradients {
  const [first, ...rest] = parts;
  const add = (into: Float32Array, from: Float32Array) => {
    for (let i = 0; i < into.length; i++) into[i] += from[i];
  };
  for (const g of rest) {
    g.directions.forEach((d, i) => {
      add(first.directions[i].kernel, d.kernel);
      add(first.directions[i].recurrent, d.recurrent);
      add(first.directions[i].bias, d.bias);
    });
    add(first.denseKernel, g.denseKernel);
    add(first.denseBias, g.denseBias);
  }
  // Embedding rows: the union of every chunk's rows, a row's gradient summed over the chunks that used it.
  const slot = new Map<number, number>();
  for (const g of parts) for (const row of g.embeddingRows) if (!slot.has(row)) slot.set(row, slot.size);
  const embedding = new Float32Array(slot.size * dim);
  for (const g of parts) {
    g.embeddingRows.forEach((row, r) => {
      const to = slot.get(row)! * dim;
      for (let d = 0; d < dim; d++) embedding[to + d] += g.embedding[r * dim + d];
    });
  }
  return { ...first, embeddingRows: Int32Array.from(slot.keys()), embedding };
}
