// A fine-tune (a warm start) as the sidebar shows it: which run it continued, and what it added. The run list
// indents it under its parent's line of descent and names the parent by its time; the model card says the
// model is a fine-tune. Class names come from the dataset: they go in as text (dom.ts), never as markup.
import * as l10n from '@vscode/l10n';
import type { MetricsViewModel } from '../../protocol/webview';
import { h } from '../dom';
import { count, date, time } from '../format';

type Run = MetricsViewModel['runs'][number];
type Lineage = Pick<Run, 'createdAt' | 'parentRunId' | 'warmStart'>;

/** "+12 rows, +5 words, +1 class (warn) · 4 epochs", and that the parent was kept when no epoch beat it. */
export function fineTuneSummary(run: Lineage): string {
  const w = run.warmStart;
  if (!w) return '';
  const added = [l10n.t('+{0} rows', count(w.newRows)), l10n.t('+{0} words', count(w.newWords))];
  if (w.newLabels.length) added.push(l10n.t('+{0} classes ({1})', count(w.newLabels.length), w.newLabels.join(', ')));
  const epochs = w.epochs === 1 ? l10n.t('1 epoch') : l10n.t('{0} epochs', count(w.epochs));
  const parts = [added.join(', '), epochs];
  if (w.keptParent) parts.push(l10n.t('no epoch beat its parent: kept its weights'));
  return parts.join(' · ');
}

/** The parent as the list names it: its time when it was saved the same day as the fine-tune, else its date. */
function parentName(run: Lineage, runs: readonly Run[]): string {
  const parent = runs.find((r) => r.id === run.parentRunId);
  if (!parent) return l10n.t('an earlier run');
  const [then, now] = [new Date(parent.createdAt), new Date(run.createdAt)];
  const sameDay = !Number.isNaN(then.getTime()) && then.toDateString() === now.toDateString();
  return sameDay ? time(parent.createdAt) : date(parent.createdAt);
}

/** The run list's line under a fine-tune's date: "↳ fine-tune of 9:47 PM · +12 rows, +5 words · 4 epochs". */
export function fineTuneLine(run: Run, runs: readonly Run[]): HTMLElement | null {
  if (!run.parentRunId || !run.warmStart) return null;
  return h('span', { class: 'run-lineage' }, `↳ ${l10n.t('fine-tune of {0}', parentName(run, runs))} · ${fineTuneSummary(run)}`);
}

/** The class of a run's list item: a fine-tune is drawn indented, joined to the runs above it by a line. */
export function lineageClass(run: Run): string | undefined {
  return run.parentRunId && run.warmStart ? 'fine-tune' : undefined;
}

/** The run detail's button to its parent, when the parent is still in the list. */
export function parentRunButton(run: Run, runs: readonly Run[], select: (id: string) => void): HTMLElement | null {
  const parent = run.parentRunId && run.warmStart ? runs.find((r) => r.id === run.parentRunId) : undefined;
  if (!parent) return null;
  return h(
    'button',
    { class: 'secondary', attrs: { type: 'button', 'data-parent-run': parent.id }, on: { click: () => select(parent.id) } },
    l10n.t('Show the Parent Run ({0})', date(parent.createdAt)),
  );
}

/** The model card's note on a fine-tune: "Fine-tune of the run of … · +12 rows, +5 words · 4 epochs". */
export function fineTuneNote(model: MetricsViewModel): HTMLElement | null {
  if (!model.parentRunId || !model.warmStart) return null;
  const parent = (model.runs ?? []).find((r) => r.id === model.parentRunId);
  const of = parent ? l10n.t('Fine-tune of the run of {0}', date(parent.createdAt)) : l10n.t('Fine-tune of an earlier run');
  return h('p', { class: 'fine-tune-note' }, `${of} · ${fineTuneSummary(model)}`);
}
