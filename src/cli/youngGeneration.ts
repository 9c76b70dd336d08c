// The young generation (V8's new space) starts small and doubles whenever much of what it holds survives a
// collection, up to 3 × 16 MB per thread. A CLI run grows it early (reading the dataset, building the vocabulary:
// nearly everything survives) and then keeps it through loops whose garbage dies young, where it only adds to peak
// memory. Kept at its first size: `textcat predict` on 1,000,000 lines and `textcat train --wide-ngrams 0` peaked
// 35–45 MB lower in the same time (docs/performance.md). Not for training with the n-gram path (the default): a
// step's n-gram rows and gradients outlive a small young generation, and the collections that follow made a run
// about 8 % slower for 30 MB less, so commands that train (train, check-labels, learning-curve) keep V8's default there.
// The flag is process-wide, so the pool's and the baseline's threads, started later, keep theirs small too. Set
// only by the CLI: the extension's worker runs inside VS Code's extension host, whose V8 flags are not ours.
import { setFlagsFromString } from 'node:v8';
import { DEFAULT_OPTIONS, type TrainOptions } from '../core/options';

/** Called before a command reads anything. */
export function keepYoungGenerationSmall(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
}

/** For a command that trains with `options` (the defaults where unset), once they are known, before it reads data. */
export function youngGenerationForTraining(options: Partial<Pick<TrainOptions, 'wideNgrams'>>): void {
  if ((options.wideNgrams ?? DEFAULT_OPTIONS.wideNgrams) === 0) keepYoungGenerationSmall();
}
