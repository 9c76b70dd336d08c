// The status bar item: what the current model is (none, training, trained with which labels and how well), with
// a click that shows the Metrics view. It only listens to ModelState. The extension activates in every window
// once startup is done (a custom textcat.modelPath may point anywhere), so "no model" is shown only in a
// workspace where a Textcat command has run: elsewhere Textcat stays out of sight.
import * as vscode from 'vscode';
import { escapeMarkdown } from '../../core/format/markdown';
import { percent } from '../../core/format/percent';
import type { ModelSummary } from '../../protocol/types';
import type { ModelState, TrainingState } from '../model/modelState';

const MAX_LABELS_SHOWN = 3;
/** workspaceState: a Textcat command has run in this workspace. */
const USED_KEY = 'textcat.used';

/** `spam·ham`, or `a·b·c +4` when there are many. */
export function labelSummary(labels: readonly string[]): string {
  const shown = labels.slice(0, MAX_LABELS_SHOWN).map((l) => (l.length > 16 ? `${l.slice(0, 15)}…` : l));
  return labels.length > MAX_LABELS_SHOWN ? `${shown.join('·')} +${labels.length - MAX_LABELS_SHOWN}` : shown.join('·');
}

/** Labels and paths come from the user's data: each line is shown as text, never as markdown. */
const tooltip = (lines: string[]) => new vscode.MarkdownString(lines.map(escapeMarkdown).join('\n\n'));

export class ModelStatusBar implements vscode.Disposable {
  readonly item = vscode.window.createStatusBarItem('textcat.status', vscode.StatusBarAlignment.Right, 100);
  private readonly listeners: vscode.Disposable;

  constructor(
    private readonly model: ModelState,
    private readonly workspaceState: vscode.Memento,
  ) {
    this.item.name = 'Textcat';
    this.item.command = 'textcat.showMetrics';
    this.listeners = vscode.Disposable.from(
      model.onDidChangeModel(() => this.update()),
      model.onDidChangeTraining(() => this.update()),
      model.onDidChangeProblem(() => this.update()),
    );
    this.update();
  }

  /** A Textcat command ran: from now on this workspace shows the item, "no model" included. */
  noteUse(): void {
    if (this.workspaceState.get(USED_KEY) === true) return;
    void this.workspaceState.update(USED_KEY, true);
    this.update();
  }

  private update(): void {
    const training = this.model.training;
    const manifest = this.model.manifest;
    if (training.kind === 'training') this.showTraining(training);
    else if (manifest) this.showModel(manifest);
    else if (this.model.problem) {
      // A refused model is not "no model yet": say so, and why, as text (the reason quotes the manifest).
      this.item.text = `$(warning) ${vscode.l10n.t('Textcat: model not used')}`;
      this.item.tooltip = tooltip([vscode.l10n.t('The model in this workspace cannot be used: {0}', this.model.problem)]);
    } else {
      this.item.text = `$(beaker) ${vscode.l10n.t('Textcat: no model')}`;
      this.item.tooltip = vscode.l10n.t('No Textcat model in this workspace yet. Run "Textcat: Train Classifier…".');
    }
    if (training.kind === 'training' || manifest || this.model.problem || this.workspaceState.get(USED_KEY) === true) this.item.show();
    else this.item.hide();
  }

  private showTraining(training: Extract<TrainingState, { kind: 'training' }>): void {
    const p = training.progress;
    this.item.text = p
      ? `$(sync~spin) ${vscode.l10n.t('Textcat: training {0}/{1}', p.epoch, p.epochs)}`
      : `$(sync~spin) ${vscode.l10n.t('Textcat: training…')}`;
    const lines = [vscode.l10n.t('Training on {0}', vscode.workspace.asRelativePath(training.dataset))];
    if (p) {
      lines.push(
        vscode.l10n.t('Epoch {0}/{1}, batch {2}/{3}', p.epoch, p.epochs, p.batch, p.batches),
        vscode.l10n.t('Loss {0}, accuracy {1}', p.loss.toFixed(4), percent(p.accuracy, 1)),
        vscode.l10n.t('About {0} s left', Math.round(p.etaSeconds)),
      );
    }
    lines.push(vscode.l10n.t('Click to show the metrics.'));
    this.item.tooltip = tooltip(lines);
  }

  private showModel(manifest: ModelSummary): void {
    const metrics = manifest.metrics.validation ?? manifest.metrics.test;
    this.item.text = `$(beaker) ${labelSummary(manifest.labels)}${metrics ? ` ${percent(metrics.accuracy, 1)}` : ''}`;
    this.item.tooltip = tooltip([
      vscode.l10n.t('Textcat model: {0} classes ({1})', manifest.labels.length, manifest.labels.join(', ')),
      ...(metrics ? [vscode.l10n.t('Accuracy {0}, macro-F1 {1}', percent(metrics.accuracy, 1), metrics.macroF1.toFixed(3))] : []),
      vscode.l10n.t(
        'Trained on {0} ({1} rows) at {2}',
        manifest.dataset.path,
        manifest.dataset.rows,
        new Date(manifest.createdAt).toLocaleString(),
      ),
      vscode.l10n.t('Click to show the metrics.'),
    ]);
  }

  dispose(): void {
    this.listeners.dispose();
    this.item.dispose();
  }
}
