// What the ONNX graph (classifierGraph.ts) reproduces exactly, so a model with anything more is refused with
// its name rather than exported as a different network. A new model option, network piece or tokenizer
// setting is unknown here until the exporter learns it: then it is added to these lists.
import type { Classifier } from '../train';
import { TextcatError } from '../types';

/** Options that only steer training, or whose effect is already in the shape, weights or tokenizer. */
const EXPORTED_OPTIONS = new Set([
  'epochs',
  'batchSize',
  'learningRate',
  'embeddingDim',
  'hiddenUnits',
  'bidirectional',
  'dropout', // off at inference
  'maxLength',
  'vocabSize',
  'minCount',
  'tokenMode',
  'keepPunctuation',
  'validationSplit',
  'patience',
  'classWeights',
  'clipNorm',
  'seed',
  'threads',
  'pretrainedVectors', // only where the embedding started: the trained rows are in the weights
  'freezeVectors',
  'wideNgrams', // its effect is the shape's ngramRows: a model that has a wide path is refused below, by this name
]);
const EXPORTED_SHAPE = new Set(['vocabSize', 'embeddingDim', 'hiddenUnits', 'numClasses', 'bidirectional']);
const EXPORTED_WEIGHTS = new Set(['embedding', 'directions', 'denseKernel', 'denseBias']);
const EXPORTED_TOKENIZER = new Set(['mode', 'lowercase', 'keepPunctuation', 'maxVocab', 'minCount', 'maxLength']);

/** Throws a TextcatError naming the first thing of `model` that the ONNX export does not reproduce. */
export function assertExportable(model: Classifier): void {
  const refuse = (what: string, advice = ''): never => {
    throw new TextcatError(`cannot export to ONNX: the model uses ${what}, which the ONNX export does not support yet${advice}`);
  };
  for (const [name, value] of Object.entries(model.options)) {
    if (!EXPORTED_OPTIONS.has(name)) refuse(`the option ${name} (= ${JSON.stringify(value)})`);
  }
  // The wide n-gram path (a second input and its table): a model trained with wideNgrams 0 has none.
  if (model.shape.ngramRows) {
    refuse(
      `the option wideNgrams (= ${model.options.wideNgrams}): a wide n-gram path beside the LSTM`,
      '; a model trained with wideNgrams 0 exports',
    );
  }
  for (const [name, value] of Object.entries(model.shape)) {
    if (!EXPORTED_SHAPE.has(name) && !(name === 'ngramRows' && !value)) refuse(`a network with "${name}"`);
  }
  for (const name of Object.keys(model.params)) if (!EXPORTED_WEIGHTS.has(name)) refuse(`weights "${name}"`);
  for (const name of Object.keys(model.tokenizer.config)) if (!EXPORTED_TOKENIZER.has(name)) refuse(`the tokenizer setting ${name}`);
  const directions = model.shape.bidirectional ? 2 : 1;
  if (model.params.directions.length !== directions) refuse(`${model.params.directions.length} LSTM directions`);
}
