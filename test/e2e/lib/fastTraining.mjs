// Small, fast models for the tests that train several of them (a label check one per fold, a learning curve one per
// share): the unit tests (through test/unit/fixtures.ts), the extension-host suite and the UI steps take these
// settings from here, so the three keep training the same models.
export const FAST_TRAINING = {
  hiddenUnits: 8,
  embeddingDim: 8,
  epochs: 10,
  learningRate: 0.02,
  batchSize: 16,
  patience: 0,
  wideNgrams: 0,
  threads: 1,
  bidirectional: false,
};
