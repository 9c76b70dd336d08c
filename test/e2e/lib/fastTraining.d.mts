// Types for fastTraining.mjs, for the TypeScript tests.
import type { TrainOptions } from '../../../src/core/options';

export declare const FAST_TRAINING: Readonly<Partial<TrainOptions>>;
