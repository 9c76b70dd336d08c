// The bridge to the standard format: the same weights as a stock tfjs layers model, so `tf.loadLayersModel`
// reads a saved Textcat model and predicts the same probabilities as the fast path (network.ts).
//
// Without a wide path, a Sequential model with one input [batch, steps] (token ids, left-padded with 0):
// Embedding (maskZero) → LSTM, or Bidirectional(LSTM) with mergeMode 'concat' → Dropout → Dense softmax.
//
// With a wide path, a functional model with two inputs, `tokens` as above and `ngrams` [batch, n] (int32 ids
// of the line's known n-grams, ngrams.ts, padded with 0 anywhere, as long as any line of the batch needs):
//   deep   = Dense(K, linear)(Dropout(LSTM(Embedding(tokens))))                       'dense'
//   table  = Embedding(R, K)(ngrams)                       [batch, n, K]              'ngram_embedding'
//   scores = Embedding(R, 1, not trainable)(ngrams)        [batch, n, 1]              'ngram_mask': −10⁴ for
//            padding, 0 for an n-gram (PADDING_SCORE, params.ts)
//   weight = Softmax over n (Permute [2, 1] first)         [batch, 1, n]              'ngram_weights': 1/count on
//            each n-gram and exactly 0 on padding, so the result does not depend on how much padding there is
//   wide   = Reshape [K] (Dot axes [2, 1](weight, table))  [batch, K]                 'ngram_mean': the mean of the
//            line's n-gram rows; 0 for a line without known n-grams (every weight then falls on padding, row 0)
//   output = Softmax(deep + wide)                                                     'logits', 'probabilities'
// tfjs's stock layers offer no masked mean (GlobalAveragePooling1D ignores masks and rejects them), hence the
// softmax over a score that is −10⁴ on padding.
//
// A multi-label model (shape.multiLabel) is the same network with a sigmoid per class where the output softmax
// is: its probabilities are independent, as Textcat's own predictions of it are.
import * as tfl from '@tensorflow/tfjs-layers';
import { tf } from '../backend';
import { TextcatError } from '../types';
import { CELL_GATE_ORDER, KERAS_GATE_ORDER, LAYERS_CELL } from './cell';
import { paramList, wideRows, type NetworkParams, type NetworkShape } from './params';
import { paramsFromStored, weightShapes, withGateOrder } from './storedLayout';

/** The names of the model's inputs, in the order `predict` takes them. */
export function inputNames(shape: NetworkShape): string[] {
  return wideRows(shape) > 0 ? ['tokens', 'ngrams'] : ['tokens'];
}

export function buildLayersModel(shape: NetworkShape, dropout: number): tfl.LayersModel {
  const { vocabSize, embeddingDim, hiddenUnits, numClasses, bidirectional } = shape;
  const wide = wideRows(shape) > 0;
  const embedding = tfl.layers.embedding({
    inputDim: vocabSize,
    outputDim: embeddingDim,
    maskZero: true,
    embeddingsInitializer: 'zeros',
    name: 'embedding',
    ...(wide ? {} : { inputShape: [null] }),
  });
  // tfjs's LSTM defaults to hardSigmoid gates (old Keras); the fast path uses the true sigmoid (cell.ts).
  // Initializers are zeros because the weights are set right after; tfjs's Orthogonal also fails on wasm.
  const lstm = tfl.layers.lstm({
    units: hiddenUnits,
    ...LAYERS_CELL,
    kernelInitializer: 'zeros',
    recurrentInitializer: 'zeros',
    name: 'lstm',
  });
  const recurrent = bidirectional ? tfl.layers.bidirectional({ layer: lstm, mergeMode: 'concat', name: 'bidirectional' }) : lstm;
  const outputActivation = shape.multiLabel ? 'sigmoid' : 'softmax';
  const dense = tfl.layers.dense({
    units: numClasses,
    activation: wide ? 'linear' : outputActivation,
    kernelInitializer: 'zeros',
    name: 'dense',
  });
  const layers = [embedding, recurrent, tfl.layers.dropout({ rate: dropout, name: 'dropout' }), dense];
  if (!wide) {
    const model = tfl.sequential();
    layers.forEach((layer) => model.add(layer));
    return model;
  }
  const tokens = tfl.input({ shape: [null], dtype: 'int32', name: 'tokens' });
  const deep = layers.reduce((x: tfl.SymbolicTensor, layer) => layer.apply(x) as tfl.SymbolicTensor, tokens);
  const ngrams = tfl.input({ shape: [null], dtype: 'int32', name: 'ngrams' });
  const rows = wideRows(shape);
  const apply = (layer: tfl.layers.Layer, x: tfl.SymbolicTensor | tfl.SymbolicTensor[]) => layer.apply(x) as tfl.SymbolicTensor;
  const table = apply(
    tfl.layers.embedding({ inputDim: rows, outputDim: numClasses, embeddingsInitializer: 'zeros', name: 'ngram_embedding' }),
    ngrams,
  );
  const scores = apply(
    tfl.layers.embedding({ inputDim: rows, outputDim: 1, embeddingsInitializer: 'zeros', trainable: false, name: 'ngram_mask' }),
    ngrams,
  );
  const weights = apply(
    tfl.layers.softmax({ axis: -1, name: 'ngram_weights' }),
    apply(tfl.layers.permute({ dims: [2, 1], name: 'ngram_scores' }), scores),
  );
  const mean = apply(
    tfl.layers.reshape({ targetShape: [numClasses], name: 'ngram_mean' }),
    apply(tfl.layers.dot({ axes: [2, 1], name: 'ngram_dot' }), [weights, table]),
  );
  const logits = apply(tfl.layers.add({ name: 'logits' }), [deep, mean]);
  const output = apply(tfl.layers.activation({ activation: outputActivation, name: 'probabilities' }), logits);
  return tfl.model({ inputs: [tokens, ngrams], outputs: output, name: 'textcat' });
}

export function toLayersModel(params: NetworkParams, shape: NetworkShape, dropout: number): tfl.LayersModel {
  const model = buildLayersModel(shape, dropout);
  const shapes = weightShapes(shape);
  const tensors = paramList(withGateOrder(params, shape.hiddenUnits, CELL_GATE_ORDER, KERAS_GATE_ORDER)).map((values, i) =>
    tf.tensor(values, shapes[i]),
  );
  model.setWeights(tensors);
  tensors.forEach((t) => t.dispose());
  return model;
}

export function fromLayersModel(model: tfl.LayersModel, shape: NetworkShape): NetworkParams {
  const expected = weightShapes(shape);
  const weights = model.getWeights();
  const mismatch = weights.length !== expected.length || weights.some((w, i) => w.shape.join('x') !== expected[i].join('x'));
  if (mismatch) {
    throw new TextcatError(
      `model weights do not match the saved configuration (expected ${expected.map((s) => `[${s.join(',')}]`).join(' ')}, found ${weights.map((w) => `[${w.shape.join(',')}]`).join(' ')})`,
    );
  }
  return paramsFromStored(
    weights.map((w) => (w.dataSync() as Float32Array).slice()),
    shape,
  );
}
