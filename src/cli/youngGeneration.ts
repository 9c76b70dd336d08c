// The young generation (V8's new space) starts small and doubles whenever much of what it holds survives a
// collection, up to 3 × 16 MB per thread. A CLI run grows it early (reading the dataset, building the vocabulary:
// nearly everything survives) and then keeps it for a training or prediction loop whose garbage dies young, so it
// only added to peak memory: kept at its first size, `textcat train` like for like peaked at 247 MB instead of 288
// and `textcat predict` on 200,000 lines at 255 instead of 295, in the same time (docs/performance.md).
// The flag is process-wide, so the pool's and the baseline's threads, started later, keep theirs small too. Set
// only here: the extension's worker runs inside VS Code's extension host, whose V8 flags are not ours to change.
import { setFlagsFromString } from 'node:v8';

/** Called first thing by the CLI's entry, before it reads anything. */
export function keepYoungGenerationSmall(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
}
