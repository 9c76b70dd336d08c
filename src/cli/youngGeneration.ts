// The young generation (V8's new space) starts small and doubles whenever much of what it holds survives a
// collection, up to 3 × 16 MB per thread. A CLI run grows it early (reading the dataset, building the vocabulary:
// nearly everything survives) and then keeps it through loops whose garbage dies young, where it only adds to peak
// memory. Kept at its first size, every command peaks lower in the same time (docs/performance.md): default
// training 295–310 → 250–260 MB, `textcat predict` on 1,000,000 lines and `train --wide-ngrams 0` 35–45 MB lower.
// (Default training once ran about 8 % slower with it, while each step still allocated its gradients anew;
// network.ts's GradientBuffers ended that.) The flag is process-wide, so the pool's and the baseline's threads,
// started later, keep theirs small too. Set only by the CLI: the extension's worker runs inside VS Code's
// extension host, whose V8 flags are not ours.
import { setFlagsFromString } from 'node:v8';

/** Called before a command reads anything. */
export function keepYoungGenerationSmall(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
}
