// Textcat's network as a graph of standard ONNX operators (opset 13), one function per layer, each taking
// the previous layer's value: Embedding (Gather) → LSTM, one or both directions → Dense (Gemm) → Softmax.
// With a wide path, a second input of n-gram ids adds the mean of their table rows to the logits before the
// softmax (the combination's weights are already in the dense layer and the table: combine.ts).
// A multi-label model (shape.multiLabel) ends in Sigmoid instead of Softmax: one independent probability per
// class, from the same logits; which classes a line gets is up to the thresholds in the metadata.
// A new kind of layer adds a function here and a line in classifierGraph.
//
// Masking: training skips padding steps (lstm.ts), which for left-padded rows is the same as running each
// direction over the row's real tokens only. The ONNX LSTM counts `sequence_lens` from the start of the
// sequence, for the forward and the reverse direction alike, so the graph first moves each row's tokens to the
// front (reverse the whole row, then reverse its first `length` steps back: [0 0 a b c] → [c b a 0 0] →
// [a b c 0 0]) and gives the LSTM each row's length. That is exact for a batch mixing lengths, both ways.
import { CELL_GATE_ORDER, gateWidth, ONNX_GATE_ORDER, reorderGates, type NetworkParams, type NetworkShape } from '../model';
import { attr, GraphBuilder, type Graph } from './graph';

export const INPUT_NAME = 'token_ids';
/** The second input of a model with a wide path. */
export const NGRAM_INPUT_NAME = 'ngram_ids';
/**
 * A second output, a constant: the n-gram vocabulary (ngrams.ts), uint32 [R − 1], the n-gram with hash
 * ngram_hashes[i] having id i + 1. An output rather than metadata, 4 bytes a hash (the size of the mask that
 * weights.bin holds and the graph does not need), readable with a runtime alone; an initializer no node reads
 * would be dropped by ONNX Runtime with a warning on every load.
 */
export const NGRAM_HASHES_NAME = 'ngram_hashes';
export const OUTPUT_NAME = 'probabilities';
const INT64_MIN = -(2n ** 63n);

/** `ngramHashes`: a wide path's n-gram vocabulary, carried in the file for other runtimes' tokenizers. */
export function classifierGraph(params: NetworkParams, shape: NetworkShape, maxLength: number, ngramHashes?: readonly number[]): Graph {
  const g = new GraphBuilder();
  const ids = g.input({
    name: INPUT_NAME,
    type: 'int64',
    dims: ['batch', maxLength],
    doc: `Token ids, each row the first ${maxLength} ids of a line right-aligned behind 0 (padding), as tokenizer.json describes.`,
  });
  const lengths = tokenCounts(g, ids);
  const tokensFirst = tokensToFront(g, ids, lengths);
  const embedded = embedding(g, params, shape, tokensFirst);
  const features = lstm(g, params, shape, embedded, lengths);
  const deepLogits = dense(g, params, shape, features);
  const logits = params.wide ? g.op('Add', [deepLogits, ngramMean(g, params, shape)], {}, 'logits') : deepLogits;
  const probabilities = shape.multiLabel
    ? g.op('Sigmoid', [logits], {}, 'probabilities')
    : g.op('Softmax', [logits], { axis: attr.int(-1) }, 'probabilities');
  g.output({
    name: probabilities,
    type: 'float',
    dims: ['batch', shape.numClasses],
    doc: shape.multiLabel
      ? "Each class's probability on its own (a sigmoid per class), in the order of the labels; a line has every class at or over its threshold."
      : 'Class probabilities, in the order of the labels.',
  });
  if (params.wide && ngramHashes) ngramVocabulary(g, ngramHashes);
  return g.build();
}

/** [B] int64: the real (non-zero) tokens of each row. */
function tokenCounts(g: GraphBuilder, ids: string): string {
  const isToken = g.op('Not', [g.op('Equal', [ids, g.int64s('pad_id', [0])])]);
  const counts = g.op('Cast', [isToken], { to: attr.int(INT64) });
  return g.op('ReduceSum', [counts, g.int64s('time_axis', [1])], { keepdims: attr.int(0) }, 'lengths');
}

/** [T, B] time-major ids with each row's tokens first and its padding after them. */
function tokensToFront(g: GraphBuilder, ids: string, lengths: string): string {
  const timeMajor = g.op('Transpose', [ids], { perm: attr.ints([1, 0]) });
  const reversed = g.op('Slice', [
    timeMajor,
    g.int64s('from_last', [-1]),
    g.int64s('to_first', [INT64_MIN]),
    g.int64s('axis_0', [0]),
    g.int64s('step_back', [-1]),
  ]);
  return g.op('ReverseSequence', [reversed, lengths], { batch_axis: attr.int(1), time_axis: attr.int(0) }, 'tokens_first');
}

/** [T, B, D] embedding rows. */
function embedding(g: GraphBuilder, params: NetworkParams, shape: NetworkShape, ids: string): string {
  const table = g.constant('embedding', 'float', [shape.vocabSize, shape.embeddingDim], params.embedding);
  return g.op('Gather', [table, ids], { axis: attr.int(0) }, 'embedded');
}

/**
 * [B, dirs·H]: the last hidden state of each direction after the row's real tokens, forward then backward
 * (Keras `mergeMode: 'concat'`). A row without tokens gets zeros, as in training where its state never moves.
 */
function lstm(g: GraphBuilder, params: NetworkParams, shape: NetworkShape, embedded: string, lengths: string): string {
  const { embeddingDim: D, hiddenUnits: H } = shape;
  const dirs = params.directions.length;
  const gates = gateWidth(H);
  const W = g.constant('lstm_W', 'float', [dirs, gates, D], concat(params.directions.map((d) => onnxGates(d.kernel, D, H))));
  const R = g.constant('lstm_R', 'float', [dirs, gates, H], concat(params.directions.map((d) => onnxGates(d.recurrent, H, H))));
  // ONNX adds an input bias and a recurrent bias; Keras has one, so the recurrent half is zero.
  const B = g.constant(
    'lstm_B',
    'float',
    [dirs, 2 * gates],
    concat(params.directions.map((d) => concat([onnxGates(d.bias, 1, H), new Float32Array(gates)]))),
  );
  // An empty row runs one (padding) step so every runtime accepts its length; its output is zeroed below.
  const steps = g.op('Cast', [g.op('Max', [lengths, g.int64s('one', [1])])], { to: attr.int(INT32) }, 'steps');
  const [, lastHidden] = g.opWithOutputs('LSTM', [embedded, W, R, B, steps], ['', 'lstm_last_hidden'], {
    hidden_size: attr.int(H),
    direction: attr.string(dirs === 2 ? 'bidirectional' : 'forward'),
  });
  // [dirs, B, H] → [B, dirs, H] → [B, dirs·H]
  const batchFirst = g.op('Transpose', [lastHidden], { perm: attr.ints([1, 0, 2]) });
  const concatenated = g.op('Reshape', [batchFirst, g.int64s('features_shape', [-1, dirs * H])]);
  const hasTokens = g.op('Cast', [g.op('Greater', [lengths, g.int64s('zero', [0])])], { to: attr.int(FLOAT) });
  const rowMask = g.op('Unsqueeze', [hasTokens, g.int64s('feature_axis', [1])]);
  return g.op('Mul', [concatenated, rowMask], {}, 'features');
}

/** [B, K] features · kernel + bias. */
function dense(g: GraphBuilder, params: NetworkParams, shape: NetworkShape, features: string): string {
  const width = params.directions.length * shape.hiddenUnits;
  const kernel = g.constant('dense_kernel', 'float', [width, shape.numClasses], params.denseKernel);
  const bias = g.constant('dense_bias', 'float', [shape.numClasses], params.denseBias);
  return g.op('Gemm', [features, kernel, bias], {}, params.wide ? 'lstm_logits' : 'logits');
}

/**
 * [B, K] the mean of the table rows of each row's n-gram ids, padding (0) left out wherever it is; 0 for a row
 * without n-grams, as Textcat adds nothing then. The sum over the ids divided by their count (Textcat adds each
 * row divided by the count: the same within a float's rounding).
 */
function ngramMean(g: GraphBuilder, params: NetworkParams, shape: NetworkShape): string {
  const wide = params.wide!;
  const rows = wide.table.length / shape.numClasses;
  const ids = g.input({
    name: NGRAM_INPUT_NAME,
    type: 'int64',
    dims: ['batch', 'ngrams'],
    doc: `N-gram ids of each line (ids of its known n-grams, any order, as tokenizer.json's ngrams describe), padded with 0 to the longest row; 1 to ${rows - 1}.`,
  });
  const table = g.constant('ngram_table', 'float', [rows, shape.numClasses], wide.table);
  const isNgram = g.op('Cast', [g.op('Not', [g.op('Equal', [ids, g.int64s('ngram_pad_id', [0])])])], { to: attr.int(FLOAT) }, 'is_ngram');
  const gathered = g.op('Gather', [table, ids], { axis: attr.int(0) }, 'ngram_rows');
  // Row 0 is never read by Textcat; masking it out keeps the graph exact whatever the table holds there.
  const masked = g.op('Mul', [gathered, g.op('Unsqueeze', [isNgram, g.int64s('class_axis', [2])])], {}, 'ngram_rows_masked');
  const ngramAxis = g.int64s('ngram_axis', [1]);
  const sums = g.op('ReduceSum', [masked, ngramAxis], { keepdims: attr.int(0) }, 'ngram_sums');
  const counts = g.op('ReduceSum', [isNgram, ngramAxis], { keepdims: attr.int(1) }, 'ngram_counts');
  const divisor = g.op('Max', [counts, g.constant('one_float', 'float', [1], Float32Array.of(1))], {}, 'ngram_divisor');
  return g.op('Div', [sums, divisor], {}, 'ngram_mean');
}

function ngramVocabulary(g: GraphBuilder, hashes: readonly number[]): void {
  const table = g.constant('ngram_hash_table', 'uint32', [hashes.length], Uint32Array.from(hashes));
  g.op('Identity', [table], {}, NGRAM_HASHES_NAME);
  g.output({
    name: NGRAM_HASHES_NAME,
    type: 'uint32',
    dims: [hashes.length],
    doc: 'The n-gram vocabulary, a constant: the n-gram whose 32-bit FNV-1a hash is ngram_hashes[i] has id i + 1 (tokenizer.json).',
  });
}

/**
 * A gate array of the cell [rows, 4H] (cell.ts: gate sections in column blocks) as ONNX wants it: [4H, rows],
 * the gates in ONNX's order in row blocks. A bias is the case rows = 1.
 */
export function onnxGates(cellGates: Float32Array, rows: number, H: number): Float32Array {
  const width = gateWidth(H);
  const ordered = reorderGates(cellGates, H, CELL_GATE_ORDER, ONNX_GATE_ORDER);
  const out = new Float32Array(width * rows);
  for (let column = 0; column < width; column++) {
    for (let r = 0; r < rows; r++) out[column * rows + r] = ordered[r * width + column];
  }
  return out;
}

function concat(arrays: Float32Array[]): Float32Array {
  const out = new Float32Array(arrays.reduce((n, a) => n + a.length, 0));
  let at = 0;
  for (const a of arrays) {
    out.set(a, at);
    at += a.length;
  }
  return out;
}

// TensorProto.DataType numbers, for Cast's `to`.
const FLOAT = 1;
const INT32 = 6;
const INT64 = 7;
