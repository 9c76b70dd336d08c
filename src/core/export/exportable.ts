// What the ONNX graph (classifierGraph.ts) reproduces exactly, so a model with anything more is refused with
// its name rather than exported as a different network. A new model option, network piece or tokenizer
// setting is unknown here until the exporter learns it: then it is added to these lists.
import type { Classifier } from '../predict';
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
  'wideNgrams', // its effect is the shape's ngramRows, the wide weights and the tokenizer's n-gram vocabulary
]);
// multiLabel: the graph ends in a sigmoid per class instead of the softmax (classifierGraph.ts).
const EXPORTED_SHAPE = new Set(['vocabSize', 'embeddingDim', 'hiddenUnits', 'numClasses', 'bidirectional', 'ngramRows', 'multiLabel']);
const EXPORTED_WEIGHTS = new Set(['embedding', 'directions', 'denseKernel', 'denseBias', 'wide']);
const EXPORTED_TOKENIZER = new Set(['mode', 'lowercase', 'keepPunctuation', 'maxVocab', 'minCount', 'maxLength']);

/** Throws a TextcatError naming the first thing of `model` that the ONNX export does not reproduce. */
export function assertExportable(model: Classifier): void {
  const refuse = (what: string, advice = ''): never => {
    throw new TextcatError(`cannot export to ONNX: the model uses ${what}, which the ONNX export does not support yet${advice}`);
  };
  for (const [name, value] of Object.entries(model.options)) {
    if (!EXPORTED_OPTIONS.has(name)) refuse(`the option ${name} (= ${JSON.stringify(value)})`);
  }
  for (const name of Object.keys(model.shape)) if (!EXPORTED_SHAPE.has(name)) refuse(`a network with "${name}"`);
  for (const name of Object.keys(model.params)) if (!EXPORTED_WEIGHTS.has(name)) refuse(`weights "${name}"`);
  for (const name of Object.keys(model.tokenizer.config)) if (!EXPORTED_TOKENIZER.has(name)) refuse(`the tokenizer setting ${name}`);
  const directions = model.shape.bidirectional ? 2 : 1;
  if (model.params.directions.length !== directions) refuse(`${model.params.directions.length} LSTM directions`);
  assertWidePathWhole(model);
  if (model.shape.multiLabel && model.thresholds?.length !== model.shape.numClasses) {
    throw new TextcatError('cannot export to ONNX: the multi-label model has no threshold for each class');
  }
}

/** A wide path exports with its three parts, which agree in size: the shape's rows, the table, the n-gram vocabulary. */
function assertWidePathWhole(model: Classifier): void {
  const rows = model.shape.ngramRows ?? 0;
  const tableRows = model.params.wide ? model.params.wide.table.length / model.shape.numClasses : 0;
  const vocabularyRows = model.tokenizer.ngrams ? model.tokenizer.ngrams.rows : 0;
  if (rows !== tableRows || rows !== vocabularyRows) {
    throw new TextcatError(
      `cannot export to ONNX: the model's wide n-gram path is inconsistent (${rows} rows in its shape, ${tableRows} in its table, ${vocabularyRows} in its n-gram vocabulary)`,
    );
  }
}
