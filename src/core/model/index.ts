// The one door to the network: callers (training loop, baseline, model store, worker) use only what is exported
// here, so the implementation behind it can change without touching them.

export { Adam, type AdamOptions } from './adam';
export { trainStep, wideStep, widePredict, type IdBatch, type BatchGradients, type NgramBatch } from './network';
export { cloneParams, initParams, wideMask, type NetworkParams, type NetworkShape } from './params';
export { toLayersModel, fromLayersModel } from './layers';
export { GradientPool, SHARED_PREDICTION_LINES } from './parallel';
export { ngramBatch, predictSequences } from './predict';
