// Train with Autotune in the editor, before any VS Code: the worker's events folded into what the sidebar draws
// (extension/training/autotuneLive.ts), each trial's status and its reason (webview/autotuneRows.ts), and the
// figures of the progress line ("trial 4 · 1:10 left · best macro-F1 .842").
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AutotuneRecord, AutotuneTrial } from '../../src/protocol/types';
import type { MetricsViewState } from '../../src/protocol/webview';
import type { AutotuneEvent } from '../../src/protocol/worker';
import {
  applyEvent,
  bareScore,
  bestScore,
  budgetSeconds,
  clock,
  endView,
  finishView,
  startView,
} from '../../src/extension/training/autotuneLive';
import { autotuneShown, recordView, trialRows } from '../../src/webview/autotuneRows';

const trial = (index: number, macroF1: number, changes: AutotuneTrial['changes'] = {}): AutotuneTrial => ({
  index,
  changes,
  validationMacroF1: macroF1,
  validationAccuracy: macroF1,
  seconds: index * 2,
});

/** Events as the worker sends them for a search of four trials whose best is the third. */
function run(events: AutotuneEvent[]) {
  let view = startView('data/train.csv', 120, {});
  events.forEach((event, i) => (view = applyEvent(view, event, 10 * (i + 1))));
  return view;
}

const FOUR_TRIALS: AutotuneEvent[] = [
  { kind: 'started', rows: 1500, classes: 3, folds: 3, start: {} },
  { kind: 'trialStarted', index: 1, changes: {} },
  { kind: 'trialEnded', trial: trial(1, 0.8), best: 1 },
  { kind: 'trialStarted', index: 2, changes: { dropout: 0.5 } },
  { kind: 'trialEnded', trial: trial(2, 0.78, { dropout: 0.5 }), best: 1 },
  { kind: 'trialStarted', index: 3, changes: { hiddenUnits: 128 } },
  { kind: 'trialEnded', trial: trial(3, 0.85, { hiddenUnits: 128 }), best: 3 },
  { kind: 'trialStarted', index: 4, changes: { bidirectional: true } },
  { kind: 'progress', trial: 4, fold: 2, progress: { epoch: 1, epochs: 5, batch: 1, batches: 9 } as never },
];

describe('autotune in the editor: the live view', () => {
  it('folds the events in: the dataset, each ended trial, the best so far, the trial and fold running, the budget left', () => {
    const view = run(FOUR_TRIALS);
    assert.equal(view.rows, 1500);
    assert.equal(view.folds, 3);
    assert.deepEqual(
      view.trials.map((t) => t.index),
      [1, 2, 3],
    );
    assert.equal(view.best, 3);
    assert.equal(bestScore(view), 0.85);
    assert.deepEqual(view.running, { index: 4, changes: { bidirectional: true }, fold: 2 });
    assert.equal(view.secondsLeft, 120 - 90);
    assert.equal(view.phase, 'running');
  });

  it('a trial ends with its status and reason: best so far, kept then beaten, discarded against the leader, running', () => {
    const rows = trialRows(run(FOUR_TRIALS));
    assert.deepEqual(
      rows.map((r) => [r.index, r.status]),
      [
        [1, { kind: 'kept', beatenBy: 3 }],
        [2, { kind: 'discarded', against: { index: 1, macroF1: 0.8 } }],
        [3, { kind: 'best' }],
        [4, { kind: 'running', fold: 2, folds: 3 }],
      ],
    );
  });

  it('a tie keeps the earlier trial, as the search does: the later one is discarded against it', () => {
    const view = run([
      { kind: 'trialEnded', trial: trial(1, 0.8), best: 1 },
      { kind: 'trialEnded', trial: trial(2, 0.8, { dropout: 0.5 }), best: 1 },
    ]);
    assert.deepEqual(
      trialRows(view).map((r) => r.status.kind),
      ['best', 'discarded'],
    );
  });

  it('the configuration the budget left no time for is listed last as skipped, with the search’s reason', () => {
    const view = run([
      ...FOUR_TRIALS.slice(0, 3),
      { kind: 'stopped', why: 'the next trial would likely take 40 s, with 12 s of the budget left', skipped: { maxLength: 256 } },
    ]);
    const rows = trialRows(view);
    assert.equal(view.running, undefined);
    assert.deepEqual(rows.at(-1), {
      changes: { maxLength: 256 },
      status: { kind: 'skipped', why: 'the next trial would likely take 40 s, with 12 s of the budget left' },
    });
    assert.equal(rows[0].status.kind, 'best');
  });

  it('a cancel keeps the trials that ran, and the one that was training shows as cancelled', () => {
    const view = endView(run(FOUR_TRIALS), 'cancelled');
    assert.equal(view.phase, 'cancelled');
    assert.equal(view.secondsLeft, undefined);
    assert.deepEqual(trialRows(view).at(-1), { index: 4, changes: { bidirectional: true }, status: { kind: 'cancelled' } });
  });

  it('once saved, the trials and the choice are the record’s, and the run belongs to the new model', () => {
    const record: AutotuneRecord = {
      budgetSeconds: 120,
      seconds: 118,
      start: {},
      seed: 42,
      folds: 3,
      trials: [trial(1, 0.8), trial(2, 0.78, { dropout: 0.5 }), trial(3, 0.85, { hiddenUnits: 128 })],
      chosen: 3,
      final: 'retrained',
      stopped: 'the budget was spent',
      why: 'trial 3 scored best',
    };
    const view = finishView(run(FOUR_TRIALS), record, 'run-7');
    assert.equal(view.phase, 'done');
    assert.equal(view.running, undefined);
    assert.equal(view.runId, 'run-7');
    assert.deepEqual(
      trialRows(view).map((r) => r.status.kind),
      ['kept', 'discarded', 'best'],
    );
  });
});

describe('autotune in the editor: which run the sidebar shows', () => {
  const record: AutotuneRecord = {
    budgetSeconds: 60,
    seconds: 50,
    start: { epochs: 10 },
    seed: 1,
    folds: 1,
    trials: [trial(1, 0.9), trial(2, 0.7, { dropout: 0.6 })],
    chosen: 1,
    final: 'trial',
    stopped: 'the search ran out of configurations it had not tried',
    why: 'the starting options scored best',
  };
  const model = { runId: 'r1', dataset: { path: '/w/data.csv' }, autotune: record } as unknown as MetricsViewState['model'];

  it('after a reload (no run of this window), the current model’s saved search, as a finished run', () => {
    const shown = autotuneShown({ hasWorkspace: true, model });
    assert.deepEqual(shown, recordView(record, '/w/data.csv', 'r1'));
    assert.equal(shown?.phase, 'done');
    assert.equal(shown?.best, 1);
    assert.ok(shown);
    assert.deepEqual(
      trialRows(shown).map((r) => r.status.kind),
      ['best', 'discarded'],
    );
  });

  it('a run of this window comes before the model’s record; a model without a record and no run shows none', () => {
    const live = startView('other.csv', 60, {});
    assert.equal(autotuneShown({ hasWorkspace: true, model, autotune: live }), live);
    const plain = { ...model, autotune: undefined } as MetricsViewState['model'];
    assert.equal(autotuneShown({ hasWorkspace: true, model: plain }), undefined);
  });
});

describe('autotune in the editor: the progress line’s figures and the budget', () => {
  it('time left as a clock, a score without its leading zero', () => {
    assert.equal(clock(70), '1:10');
    assert.equal(clock(5.4), '0:05');
    assert.equal(clock(3725), '62:05');
    assert.equal(clock(-3), '0:00');
    assert.equal(bareScore(0.8424), '.842');
    assert.equal(bareScore(1), '1.000');
  });

  it('a budget is a duration as the CLI takes it, or seconds; anything else is none', () => {
    assert.equal(budgetSeconds('90s'), 90);
    assert.equal(budgetSeconds('5m'), 300);
    assert.equal(budgetSeconds(' 1 h '), 3600);
    assert.equal(budgetSeconds(45), 45);
    for (const bad of ['5', 'soon', '0s', '200h', 0, -5, 1e9, null, {}]) assert.equal(budgetSeconds(bad), undefined, JSON.stringify(bad));
  });
});

describe('autotune in the editor: the command as contributed', () => {
  type Entry = { command: string; when?: string; title?: string };
  const read = <T>(file: string) => JSON.parse(fs.readFileSync(path.resolve(__dirname, '../..', file), 'utf8')) as T;
  const pkg = read<{ contributes: { commands: Entry[]; menus: Record<string, Entry[]> } }>('package.json');
  const nls = (file: string) => read<Record<string, string>>(file)['command.trainWithAutotune.title'];

  it('is in the palette with a folder open, and in the Explorer menu on exactly the files Train Classifier… is', () => {
    const command = pkg.contributes.commands.find((c) => c.command === 'textcat.trainWithAutotune');
    assert.equal(command?.title, '%command.trainWithAutotune.title%');
    assert.equal(nls('package.nls.json'), 'Train with Autotune…');
    assert.ok(nls('package.nls.zh-cn.json'));
    const palette = pkg.contributes.menus.commandPalette.find((m) => m.command === 'textcat.trainWithAutotune');
    assert.equal(palette?.when, 'workbenchState != empty');
    const explorer = pkg.contributes.menus['explorer/context'];
    const when = (name: string) => explorer.find((m) => m.command === name)?.when;
    assert.ok(when('textcat.train'));
    assert.equal(when('textcat.trainWithAutotune'), when('textcat.train'));
  });
});
