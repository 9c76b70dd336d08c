// The one door to the network: callers (training loop, model store, worker) use only what is exported here,
// so the implementation behind it can change without touching them.

export { Adam, type AdamOptions } from './adam';
export { trainStep, type IdBatch, type BatchGradients } from './network';
export { cloneParams, directionCount, initParams, paramsFromList, type NetworkParams, type NetworkShape } from './params';
export { toLayersModel, fromLayersModel, weightShapes } from './layers';
export { GradientPool, SHARED_PREDICTION_LINES } from './parallel';
export { predictSequences } from './predict';
