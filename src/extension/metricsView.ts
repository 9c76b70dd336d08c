// The "Metrics" view in the Textcat activity-bar container. The page itself lives in src/webview (bundled to
// dist/webview.js + dist/webview.css); this side serves its HTML under a strict CSP with a per-load nonce and
// sends it the whole MetricsViewState whenever the model, a training run or an evaluation changes.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type {
  ConfusionCellExamples,
  CurvePoint,
  HostToWebview,
  LiveTraining,
  MetricsViewCommand,
  MetricsViewState,
  ModelManifest,
  TrainProgress,
  WebviewToHost,
} from '../protocol';
import { confusionCellExamples, exampleLocation } from './confusionDrill';
import type { TrainingState } from './modelState';
import type { Services } from './services';

/** What the page may run; a compromised page can ask for nothing else. */
const COMMANDS: Readonly<Record<MetricsViewCommand, true>> = {
  'textcat.train': true,
  'textcat.evaluate': true,
  'textcat.cancelTraining': true,
};
/** Progress arrives once per batch; the page redraws at most this often. */
const PROGRESS_INTERVAL_MS = 250;
/** Batch points kept for the live curve; beyond it every other point is dropped and the stride doubles. */
const MAX_BATCH_POINTS = 400;

export class MetricsViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  static readonly viewId = 'textcat.metrics';

  private view: vscode.WebviewView | undefined;
  private viewSubscriptions: vscode.Disposable[] = [];
  private readonly subscriptions: vscode.Disposable[];
  private live = new LiveCurves();
  private throttle: NodeJS.Timeout | undefined;
  private lastPost = 0;
  /** The state last handed to the page (for tests: what the page was told). */
  lastPostedState: MetricsViewState | undefined;
  /** The last confusion-cell examples handed to the page (for tests). */
  lastPostedExamples: ConfusionCellExamples | undefined;

  constructor(private readonly services: Pick<Services, 'context' | 'model' | 'log'>) {
    const { model } = services;
    this.subscriptions = [
      model.onDidChangeModel(() => this.post()),
      model.onDidChangeTraining((training) => this.onTraining(training)),
      model.onDidChangeEvaluation(() => this.post()),
    ];
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.disposeView();
    this.view = view;
    const root = this.services.context.extensionUri;
    view.webview.options = {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(root, 'dist'), vscode.Uri.joinPath(root, 'media')],
    };
    this.viewSubscriptions = [
      view.webview.onDidReceiveMessage((message: WebviewToHost) => this.onMessage(message)),
      view.onDidDispose(() => {
        if (this.view === view) this.disposeView();
      }),
    ];
    const asset = (...path: string[]) => view.webview.asWebviewUri(vscode.Uri.joinPath(root, ...path)).toString();
    view.webview.html = metricsHtml({
      cspSource: view.webview.cspSource,
      nonce: randomBytes(16).toString('base64'),
      script: asset('dist', 'webview.js'),
      styles: [asset('dist', 'webview.css'), asset('media', 'metrics.css')],
      l10n: { language: vscode.env.language, bundle: vscode.l10n.bundle },
    });
    // The page also asks with 'ready' once its script runs; this covers a page restored from getState.
    this.post();
  }

  /** Everything the page shows, as it would be posted now. */
  state(): MetricsViewState {
    const { manifest, training, evaluation, modelDir } = this.services.model;
    return {
      model: manifest && forView(manifest),
      training: training.kind === 'training' ? this.live.state(training) : undefined,
      evaluation,
      hasWorkspace: modelDir !== undefined,
    };
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
        this.post();
        break;
      case 'runCommand':
        if (typeof message.command === 'string' && Object.hasOwn(COMMANDS, message.command)) {
          vscode.commands
            .executeCommand(message.command)
            .then(undefined, (e: unknown) => this.services.log.error(`${message.command} from the Metrics view: ${e}`));
        } else {
          this.services.log.warn(`Metrics view asked for a command it may not run: ${String(message.command)}`);
        }
        break;
      case 'showConfusionCell': {
        const examples = this.confusionExamples(message.truth, message.predicted);
        if (!examples) {
          this.services.log.warn(`Metrics view asked for a confusion cell the current model does not have: ${JSON.stringify(message)}`);
          break;
        }
        this.lastPostedExamples = examples;
        void this.view?.webview.postMessage({ type: 'confusionExamples', ...examples } satisfies HostToWebview);
        break;
      }
      case 'openExample':
        void this.openExample(message.line, message.file);
        break;
      default: {
        const unexpected: never = message;
        this.services.log.warn(`Metrics view sent an unknown message: ${JSON.stringify(unexpected)}`);
      }
    }
  }

  /** The current model's validation examples of one confusion cell, as the page is sent them; undefined for no such cell. */
  confusionExamples(truth: unknown, predicted: unknown): ConfusionCellExamples | undefined {
    const { manifest } = this.services.model;
    return manifest && confusionCellExamples(manifest, truth, predicted);
  }

  /**
   * Opens the dataset at a stored validation example's record, the line selected; undefined (and nothing opened)
   * when the request names anything but one of the current model's validation examples.
   */
  async openExample(line: unknown, file: unknown): Promise<vscode.TextEditor | undefined> {
    const { manifest } = this.services.model;
    const location = manifest && exampleLocation(manifest, line, file, vscode.workspace.workspaceFolders?.[0]?.uri.fsPath);
    if (!location) {
      this.services.log.warn(
        `Metrics view asked to open something that is not a validation example of the current model: ${JSON.stringify({ line, file })}`,
      );
      return undefined;
    }
    try {
      const document = await vscode.workspace.openTextDocument(vscode.Uri.file(location.path));
      const at = Math.min(location.line, document.lineCount) - 1;
      const selection = new vscode.Selection(at, 0, at, document.lineAt(at).text.length);
      const editor = await vscode.window.showTextDocument(document, { selection, preview: true });
      editor.revealRange(selection, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
      return editor;
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      this.services.log.error(`Opening ${location.path} at line ${location.line}: ${message}`);
      void vscode.window.showErrorMessage(vscode.l10n.t('Textcat could not open the dataset at line {0}: {1}', location.line, message));
      return undefined;
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
    if (!this.view) return;
    const state = this.state();
    const message: HostToWebview = { type: 'state', state };
    this.lastPostedState = state;
    // A hidden view has no page (retainContextWhenHidden is off): the message is dropped, and the page
    // asks again with 'ready' when it is shown.
    void this.view.webview.postMessage(message);
  }

  private disposeView(): void {
    this.viewSubscriptions.forEach((s) => s.dispose());
    this.viewSubscriptions = [];
    this.view = undefined;
  }

  dispose(): void {
    clearTimeout(this.throttle);
    this.disposeView();
    this.subscriptions.forEach((s) => s.dispose());
  }
}

/** The manifest without what the page never shows and that can be large (validation examples, vocabulary). */
function forView(manifest: ModelManifest): MetricsViewState['model'] {
  const { validationExamples: _examples, tokenizer: _tokenizer, ...rest } = manifest;
  return rest;
}

/** The curves of the run in progress: every epoch's report and a thinned series of batch reports. */
class LiveCurves {
  private readonly epochs: TrainProgress[] = [];
  private readonly batches: CurvePoint[] = [];
  private stride = 1;
  private seen = 0;

  record(training: Extract<TrainingState, { kind: 'training' }>): void {
    const p = training.progress;
    if (!p) return;
    if (p.epochDone) {
      if (!this.epochs.some((e) => e.epoch === p.epoch)) this.epochs.push(p);
      return;
    }
    if (this.seen++ % this.stride !== 0) return;
    this.batches.push({ x: p.epoch - 1 + p.batch / Math.max(1, p.batches), loss: p.loss, accuracy: p.accuracy });
    if (this.batches.length > MAX_BATCH_POINTS) {
      const kept = this.batches.filter((_, i) => i % 2 === 1);
      this.batches.splice(0, this.batches.length, ...kept);
      this.stride *= 2;
    }
  }

  state(training: Extract<TrainingState, { kind: 'training' }>): LiveTraining {
    // The training command may keep the epoch reports itself (from before this view existed); prefer them.
    const kept = training.history.filter((p) => p.epochDone);
    return {
      dataset: vscode.workspace.asRelativePath(training.dataset),
      datasetInfo: training.datasetInfo,
      progress: training.progress,
      epochs: kept.length >= this.epochs.length ? kept : [...this.epochs],
      batches: [...this.batches],
    };
  }
}

/**
 * The page's HTML: no inline script or style, only the bundle and style sheets, each allowed by the CSP. The
 * page speaks VS Code's display language: <html lang> and, in <body data-l10n>, the extension's string bundle
 * for it (vscode.l10n.bundle; none for English), which the page's @vscode/l10n reads (src/webview/locale.ts).
 */
export function metricsHtml(p: {
  cspSource: string;
  nonce: string;
  script: string;
  styles: string[];
  l10n?: { language: string; bundle?: Record<string, string> };
}): string {
  const csp = [
    "default-src 'none'",
    `style-src ${p.cspSource} 'nonce-${p.nonce}'`,
    `script-src 'nonce-${p.nonce}'`,
    `img-src ${p.cspSource} data:`,
    `font-src ${p.cspSource}`,
  ].join('; ');
  const attr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return `<!DOCTYPE html>
<html lang="${attr(p.l10n?.language ?? 'en')}">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${attr(csp)}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
${p.styles.map((href) => `  <link rel="stylesheet" nonce="${p.nonce}" href="${attr(href)}">`).join('\n')}
  <title>${attr(vscode.l10n.t('Textcat metrics'))}</title>
</head>
<body${p.l10n?.bundle ? ` data-l10n="${attr(JSON.stringify(p.l10n.bundle))}"` : ''}>
  <main id="app" aria-busy="true"><p class="muted">${attr(vscode.l10n.t('Loading…'))}</p></main>
  <script nonce="${p.nonce}" src="${attr(p.script)}"></script>
</body>
</html>`;
}
