// Batched inference over many token-id sequences (the network's forward pass in network.ts).
import { padLeft } from '../tokenizer';
import { gateWidth } from './cell';
import { scoped } from './kernel';
import { predictBatch, projectionTables } from './network';
import { directionCount, type NetworkParams, type NetworkShape } from './params';

const PREDICT_BATCH = 256;
const MAX_TABLE_BYTES = 256 * 2 ** 20;

/**
 * Class probabilities [n, K] for token-id sequences, in input order. Sequences are batched by length so
 * each batch is only as long as its longest line (padding is masked, so this changes no result).
 */
export function predictSequences(
  params: NetworkParams,
  shape: NetworkShape,
  sequences: readonly number[][],
  maxLength: number,
): Float32Array {
  const K = shape.numClasses;
  const out = new Float32Array(sequences.length * K);
  const order = sequences.map((_, i) => i).sort((a, b) => sequences[a].length - sequences[b].length);
  const positions = sequences.reduce((sum, s) => sum + Math.min(s.length, maxLength), 0);
  return scoped(() => {
    // Many lines: project each vocabulary row once instead of each token position (same arithmetic), unless
    // the tables would be very large (a big vocabulary with many units).
    const tableBytes = shape.vocabSize * gateWidth(shape.hiddenUnits) * directionCount(shape) * 4;
    const tables = positions > shape.vocabSize && tableBytes <= MAX_TABLE_BYTES ? projectionTables(params, shape) : undefined;
    for (let start = 0; start < order.length; start += PREDICT_BATCH) {
      const rows = order.slice(start, start + PREDICT_BATCH);
      const steps = Math.max(1, Math.min(maxLength, sequences[rows[rows.length - 1]].length));
      const ids = padLeft(
        rows.map((r) => sequences[r]),
        steps,
      );
      const probs = predictBatch(params, shape, { ids, batchSize: rows.length, steps }, tables);
      rows.forEach((r, b) => out.set(probs.subarray(b * K, (b + 1) * K), r * K));
    }
    return out;
  });
}
