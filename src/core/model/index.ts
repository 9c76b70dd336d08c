// The one door to the network: callers (training loop, baseline, model store, worker) use only what is exported
// here, so the implementation behind it can change without touching them.

export { Adam, type AdamOptions } from './adam';
export { WideTrainer } from './wideTrainer';
export { trainStep, wideStep, widePredict, type IdBatch, type BatchGradients, type NgramBatch } from './network';
export { cloneParams, initParams, wideMask, type NetworkParams, type NetworkShape } from './params';
export { toLayersModel, fromLayersModel } from './layers';
export { paramsFromStored, weightShapes } from './storedLayout';
export { GradientPool, SHARED_PREDICTION_LINES } from './parallel';
export { ngramBatch, predictSequences, predictTextLines, TableStore } from './predict';
export { CELL_GATE_ORDER, gateWidth, ONNX_GATE_ORDER, reorderGates } from './cell';

// For the gradient helper thread (src/worker/gradientWorker.ts): its messages and what it computes.
export { computeChunk, predictChunk } from './parallel';
export { GradientBuffers, gradientList } from './network';
export { paramsFromList, viewsOf } from './params';
export type { GradientReply, GradientRequest } from './threadMessages';
