// The "Metrics" view in the Textcat activity-bar container. The page itself lives in src/webview (bundled to
// dist/webview.js + dist/webview.css); this side serves its HTML (metricsHtml.ts) and sends it the whole
// MetricsViewState whenever the model, a training run or an evaluation changes. The page is untrusted input.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { errorMessage } from '../../core/format/errorText';
import { TextcatError } from '../../core/types';
import type { ModelSummary } from '../../protocol/types';
import type {
  AutotuneView,
  ConfusionCellExamples,
  HostToWebview,
  MetricsViewCommand,
  MetricsViewState,
  WebviewToHost,
} from '../../protocol/webview';
import { reportError } from '../errors';
import type { TrainingState } from '../model/modelState';
import { revealLine } from '../revealLine';
import type { MetricsViewService, Services } from '../services';
import { confineToWorkspace } from '../workspace/confine';
import { confusionCellExamples, exampleLocation } from './confusionDrill';
import { LiveCurves } from './liveCurves';
import { metricsHtml } from './metricsHtml';

/** What the page may run; a compromised page can ask for nothing else. */
const COMMANDS: Readonly<Record<MetricsViewCommand, true>> = {
  'textcat.train': true,
  'textcat.evaluate': true,
  'textcat.cancelTraining': true,
};
/** Progress arrives once per batch; the page redraws at most this often. */
const PROGRESS_INTERVAL_MS = 250;

export class MetricsViewProvider implements MetricsViewService, vscode.Disposable {
  static readonly viewId = 'textcat.metrics';

  private view: vscode.WebviewView | undefined;
  private viewSubscriptions: vscode.Disposable | undefined;
  private readonly subscriptions: vscode.Disposable;
  private live = new LiveCurves();
  private throttle: ReturnType<typeof setTimeout> | undefined;
  private lastPost = 0;
  private learningCurve: MetricsViewState['learningCurve'];
  /** The last Train with Autotune run, and the model it belongs with once it is over (its own, or the one it left). */
  private autotune: { view: AutotuneView; modelRunId?: string } | undefined;

  constructor(private readonly s: Pick<Services, 'context' | 'model' | 'log'>) {
    this.subscriptions = vscode.Disposable.from(
      s.model.onDidChangeModel(() => this.onModel()),
      s.model.onDidChangeTraining((training) => this.onTraining(training)),
      s.model.onDidChangeEvaluation(() => this.post()),
    );
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.disposeView();
    this.view = view;
    const root = this.s.context.extensionUri;
    view.webview.options = {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(root, 'dist'), vscode.Uri.joinPath(root, 'media')],
    };
    this.viewSubscriptions = vscode.Disposable.from(
      view.webview.onDidReceiveMessage((message: unknown) => this.onMessage(message as WebviewToHost)),
      view.onDidDispose(() => {
        if (this.view === view) this.disposeView();
      }),
    );
    const asset = (...path: string[]) => view.webview.asWebviewUri(vscode.Uri.joinPath(root, ...path)).toString();
    view.webview.html = metricsHtml({
      cspSource: view.webview.cspSource,
      nonce: randomBytes(16).toString('base64'),
      script: asset('dist', 'webview.js'),
      styles: [asset('dist', 'webview.css'), asset('media', 'metrics.css')],
      l10n: {
        language: vscode.env.language,
        bundle: vscode.l10n.bundle,
        title: vscode.l10n.t('Textcat metrics'),
        loading: vscode.l10n.t('Loading…'),
      },
    });
    // The page also asks with 'ready' once its script runs; this covers a page restored from getState.
    this.post();
  }

  state(): MetricsViewState {
    const { manifest, training, evaluation, modelDir } = this.s.model;
    return {
      model: manifest && forView(manifest),
      training: training.kind === 'training' ? this.live.state(training) : undefined,
      evaluation,
      learningCurve: this.learningCurve,
      ...(this.autotune ? { autotune: this.autotune.view } : {}),
      hasWorkspace: modelDir !== undefined,
    };
  }

  showLearningCurve(curve: MetricsViewState['learningCurve']): void {
    this.learningCurve = curve;
    this.post();
  }

  showAutotune(view: AutotuneView): void {
    this.autotune = { view, modelRunId: view.phase === 'running' ? undefined : (view.runId ?? this.s.model.manifest?.runId) };
    this.post();
  }

  /** A run that is over stays in view while its model (or the model it left unchanged) is the current one. */
  private onModel(): void {
    const over = this.autotune && this.autotune.view.phase !== 'running';
    if (over && this.autotune!.modelRunId !== this.s.model.manifest?.runId) this.autotune = undefined;
    this.post();
  }

  confusionExamples(truth: unknown, predicted: unknown): ConfusionCellExamples | undefined {
    const { manifest } = this.s.model;
    return manifest && confusionCellExamples(manifest, truth, predicted);
  }

  async openExample(line: unknown, file: unknown): Promise<vscode.TextEditor | undefined> {
    const { manifest } = this.s.model;
    const location = manifest && exampleLocation(manifest, line, file, vscode.workspace.workspaceFolders?.[0]?.uri.fsPath);
    if (!location) {
      this.s.log.warn(
        `Metrics view asked to open something that is not a validation example of the current model: ${JSON.stringify({ line, file })}`,
      );
      return undefined;
    }
    try {
      // The manifest names the example's file: it is opened only inside the workspace.
      const path = confineToWorkspace(location.path, 'the example');
      return await revealLine(vscode.Uri.file(path), location.line, { preview: true });
    } catch (e) {
      const problem =
        e instanceof TextcatError ? e : new TextcatError(`could not be opened (${errorMessage(e)})`, location.path, location.line);
      void reportError(this.s.log, vscode.l10n.t('Open the example'), problem);
      return undefined;
    }
  }

  private onTraining(training: TrainingState): void {
    if (training.kind === 'idle') {
      this.live = new LiveCurves();
      this.post();
      return;
    }
    this.live.record(training);
    this.postThrottled();
  }

  private onMessage(message: WebviewToHost): void {
    // The page is untrusted input: check the shape of everything it sends.
    switch (message?.type) {
      case 'ready':
        return this.post();
      case 'runCommand':
        if (typeof message.command === 'string' && Object.hasOwn(COMMANDS, message.command)) {
          // A command reports its own failures (commands.ts); this only hears of one that could not be run at all.
          const command = message.command;
          vscode.commands
            .executeCommand(command)
            .then(undefined, (e: unknown) => this.s.log.error(`${command} from the Metrics view: ${errorMessage(e)}`));
        } else {
          this.s.log.warn(`Metrics view asked for a command it may not run: ${String(message.command)}`);
        }
        return;
      case 'showConfusionCell': {
        const examples = this.confusionExamples(message.truth, message.predicted);
        if (examples) return this.send({ type: 'confusionExamples', ...examples });
        return this.s.log.warn(`Metrics view asked for a confusion cell the current model does not have: ${JSON.stringify(message)}`);
      }
      case 'openExample':
        void this.openExample(message.line, message.file);
        return;
      default: {
        const unexpected: never = message;
        this.s.log.warn(`Metrics view sent an unknown message: ${JSON.stringify(unexpected)}`);
      }
    }
  }

  private postThrottled(): void {
    if (this.throttle) return;
    const wait = Math.max(0, this.lastPost + PROGRESS_INTERVAL_MS - Date.now());
    this.throttle = setTimeout(() => this.post(), wait);
  }

  private post(): void {
    clearTimeout(this.throttle);
    this.throttle = undefined;
    this.lastPost = Date.now();
    if (this.view) this.send({ type: 'state', state: this.state() });
  }

  /** A hidden view has no page (retainContextWhenHidden is off): the message is dropped, and the page asks again with 'ready'. */
  private send(message: HostToWebview): void {
    void this.view?.webview.postMessage(message);
  }

  private disposeView(): void {
    this.viewSubscriptions?.dispose();
    this.viewSubscriptions = undefined;
    this.view = undefined;
  }

  dispose(): void {
    clearTimeout(this.throttle);
    this.disposeView();
    this.subscriptions.dispose();
  }
}

/** The manifest without what the page never shows and that can be large (validation examples). */
function forView(manifest: ModelSummary): MetricsViewState['model'] {
  const { validationExamples: _examples, ...rest } = manifest;
  return rest;
}
