// Helper thread for data-parallel training and prediction (src/core/model/parallel.ts): computes the gradients
// of one chunk of each batch, or the probabilities of a share of the lines, against the weights shared through
// a SharedArrayBuffer; given the model's tokenizer, it tokenizes and encodes raw texts itself. A thread started
// for the linear baseline instead (core/baseline/thread.ts) gets one 'baseline' request and no init.
import { parentPort } from 'node:worker_threads';
import { answerBaseline, type BaselineRequest } from '../core/baseline/thread';
import { errorDetail } from '../core/format/errorText';
import { ownBuffers } from '../core/threadChannel';
import {
  computeChunk,
  GradientBuffers,
  gradientList,
  paramsFromList,
  predictChunk,
  predictTextLines,
  viewsOf,
  type GradientReply,
  type GradientRequest,
  type NetworkParams,
  type NetworkShape,
  TableStore,
} from '../core/model';
import { Tokenizer } from '../core/text/tokenizer';

const port = parentPort;
if (!port) throw new Error('gradient-worker.js must run in a worker thread');

let model: { params: NetworkParams; shape: NetworkShape; tokenizer?: Tokenizer } | undefined;
const gradientBuffers = new GradientBuffers();
/** Projection tables for text predictions, valid while the pool's weights version stays the same. */
let tables: { weightsVersion: number; store: TableStore } | undefined;
const send = (reply: GradientReply, transfer: ArrayBuffer[] = []) => port.postMessage(reply, transfer);

port.on('message', (request: GradientRequest | BaselineRequest) => {
  if (request.type === 'baseline') {
    void answerBaseline(request).then(({ reply, transfer }) => port.postMessage(reply, transfer));
    return;
  }
  if (request.type === 'init') {
    try {
      const tokenizer = request.tokenizer && Tokenizer.fromJSON(request.tokenizer);
      model = { params: paramsFromList(viewsOf(request.buffer, request.lengths), request.shape), shape: request.shape, tokenizer };
      return send({ type: 'ready', id: request.id });
    } catch (error) {
      return send({ type: 'failed', id: request.id, message: errorDetail(error) });
    }
  }
  try {
    if (!model) throw new Error('chunk before init');
    if (request.type === 'predict' || request.type === 'predictTexts') {
      const probabilities =
        request.type === 'predict' ? predictChunk(model.params, model.shape, request) : predictTexts(request.texts, request.weightsVersion);
      return send({ type: 'probabilities', id: request.id, probabilities }, [probabilities.buffer as ArrayBuffer]);
    }
    // The LSTM's gradients stay in this thread's shared buffers (the pool has summed them before it sends the
    // next chunk); the rest moves to the training thread.
    const result = computeChunk(model.params, model.shape, request, gradientBuffers);
    const g = result.gradients;
    const arrays = [result.probabilities, g.embeddingRows, ...(g.wideRows ? [g.wideRows] : []), ...gradientList(g)];
    send({ type: 'gradients', id: request.id, result }, ownBuffers(arrays));
  } catch (error) {
    send({ type: 'failed', id: request.id, message: errorDetail(error) });
  }
});

function predictTexts(texts: readonly string[], weightsVersion: number): Float32Array {
  if (!model?.tokenizer) throw new Error('texts to predict, but no tokenizer was given at init');
  if (tables?.weightsVersion !== weightsVersion) tables = { weightsVersion, store: new TableStore() };
  return predictTextLines(model.params, model.shape, model.tokenizer, texts, tables.store);
}
