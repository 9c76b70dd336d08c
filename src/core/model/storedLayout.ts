// How weights.bin lays out a model's weights, without tfjs: the model loader reads by this (in the worker, the CLI
// and the extension host's manifest reader alike), and layers.ts converts to and from tfjs with it.
import { CELL_GATE_ORDER, gateWidth, type GateName, KERAS_GATE_ORDER, reorderGates } from './cell';
import { directionCount, paramsFromList, wideRows, type NetworkParams, type NetworkShape } from './params';

/**
 * The shape of every weight array of the saved model, in the order weights.bin stores them (paramList order):
 * with paramsFromList, the one description of a model's weights, which a loader reads by.
 */
export function weightShapes(shape: NetworkShape): number[][] {
  const { vocabSize: V, embeddingDim: D, hiddenUnits: H, numClasses: K } = shape;
  const lstm = [[D, gateWidth(H)], [H, gateWidth(H)], [gateWidth(H)]];
  const rows = wideRows(shape);
  return [
    [V, D],
    ...Array.from({ length: directionCount(shape) }, () => lstm).flat(),
    ...(rows > 0 ? [[rows, K]] : []),
    [directionCount(shape) * H, K],
    [K],
    ...(rows > 0 ? [[rows, 1]] : []),
  ];
}

/** The weights with each LSTM array's gate sections moved from the order `from` to the order `to`. */
export function withGateOrder(params: NetworkParams, hidden: number, from: readonly GateName[], to: readonly GateName[]): NetworkParams {
  const move = (a: Float32Array) => reorderGates(a, hidden, from, to);
  return {
    ...params,
    directions: params.directions.map((d) => ({ kernel: move(d.kernel), recurrent: move(d.recurrent), bias: move(d.bias) })),
  };
}

/**
 * Arrays as weights.bin stores them (weightShapes order, Keras' gate order) into the network's weights: what
 * tfjs reads back (fromLayersModel) and what the model loader reads without tfjs.
 */
export function paramsFromStored(arrays: Float32Array[], shape: NetworkShape): NetworkParams {
  return withGateOrder(paramsFromList(arrays, shape), shape.hiddenUnits, KERAS_GATE_ORDER, CELL_GATE_ORDER);
}
