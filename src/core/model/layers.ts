// The bridge to the standard format: the same weights as a stock tfjs layers model (Embedding with maskZero,
// LSTM or Bidirectional(LSTM) with sigmoid gates, Dropout, Dense softmax), so `tf.loadLayersModel` reads a
// saved Textcat model and predicts the same probabilities as the fast path.
import * as tfl from '@tensorflow/tfjs-layers';
import { tf } from '../backend';
import { TextcatError } from '../types';
import { GATES, gateWidth, type GateName, KERAS_GATE_ORDER, LAYERS_CELL, reorderGates } from './cell';
import { directionCount, paramList, paramsFromList, type NetworkParams, type NetworkShape } from './params';

export function buildLayersModel(shape: NetworkShape, dropout: number): tfl.Sequential {
  const { vocabSize, embeddingDim, hiddenUnits, numClasses, bidirectional } = shape;
  const model = tfl.sequential();
  model.add(
    tfl.layers.embedding({
      inputDim: vocabSize,
      outputDim: embeddingDim,
      maskZero: true,
      inputShape: [null],
      embeddingsInitializer: 'zeros',
      name: 'embedding',
    }),
  );
  // tfjs's LSTM defaults to hardSigmoid gates (old Keras); the fast path uses the true sigmoid (cell.ts).
  // Initializers are zeros because the weights are set right after; tfjs's Orthogonal also fails on wasm.
  const lstm = (name: string) =>
    tfl.layers.lstm({
      units: hiddenUnits,
      ...LAYERS_CELL,
      kernelInitializer: 'zeros',
      recurrentInitializer: 'zeros',
      name,
    });
  model.add(bidirectional ? tfl.layers.bidirectional({ layer: lstm('lstm'), mergeMode: 'concat', name: 'bidirectional' }) : lstm('lstm'));
  model.add(tfl.layers.dropout({ rate: dropout, name: 'dropout' }));
  model.add(tfl.layers.dense({ units: numClasses, activation: 'softmax', kernelInitializer: 'zeros', name: 'dense' }));
  return model;
}

function weightShapes(shape: NetworkShape): number[][] {
  const { vocabSize: V, embeddingDim: D, hiddenUnits: H, numClasses: K } = shape;
  const lstm = [[D, gateWidth(H)], [H, gateWidth(H)], [gateWidth(H)]];
  return [[V, D], ...Array.from({ length: directionCount(shape) }, () => lstm).flat(), [directionCount(shape) * H, K], [K]];
}

/** The weights with each LSTM array's gate sections moved from the order `from` to the order `to`. */
function withGateOrder(params: NetworkParams, hidden: number, from: readonly GateName[], to: readonly GateName[]): NetworkParams {
  const move = (a: Float32Array) => reorderGates(a, hidden, from, to);
  return {
    ...params,
    directions: params.directions.map((d) => ({ kernel: move(d.kernel), recurrent: move(d.recurrent), bias: move(d.bias) })),
  };
}

const CELL_ORDER = GATES.map((g) => g.name);

export function toLayersModel(params: NetworkParams, shape: NetworkShape, dropout: number): tfl.Sequential {
  const model = buildLayersModel(shape, dropout);
  const shapes = weightShapes(shape);
  const tensors = paramList(withGateOrder(params, shape.hiddenUnits, CELL_ORDER, KERAS_GATE_ORDER)).map((values, i) =>
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
  const arrays = weights.map((w) => w.dataSync() as Float32Array).map((a) => a.slice());
  return withGateOrder(paramsFromList(arrays, directionCount(shape)), shape.hiddenUnits, KERAS_GATE_ORDER, CELL_ORDER);
}
