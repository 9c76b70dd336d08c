// A page for the Metrics view provider, as VS Code hands one to resolveWebviewView: the tests see every message
// the host posts to it, and post to the host whatever a page (a compromised one included) might send.
import * as vscode from 'vscode';
import type { ConfusionCellExamples, HostToWebview, MetricsViewState } from '../../../src/protocol/webview';
import type { Services } from '../../../src/extension/services';

export class FakeWebviewView {
  readonly posted: HostToWebview[] = [];
  private readonly fromPage = new vscode.EventEmitter<unknown>();
  private readonly closed = new vscode.EventEmitter<void>();
  readonly view: vscode.WebviewView;
  /** The provider let go of this page (it was given another, or this one was closed). */
  private detached = false;

  constructor() {
    const webview = {
      options: {},
      html: '',
      cspSource: 'https://page.test',
      asWebviewUri: (uri: vscode.Uri) => uri,
      postMessage: (message: HostToWebview) => {
        this.posted.push(message);
        return Promise.resolve(true);
      },
      onDidReceiveMessage: (listener: (message: unknown) => unknown) => {
        const subscription = this.fromPage.event(listener);
        return {
          dispose: () => {
            this.detached = true;
            subscription.dispose();
          },
        };
      },
    };
    this.view = { webview, visible: true, viewType: 'textcat.metrics', onDidDispose: this.closed.event } as unknown as vscode.WebviewView;
  }

  /**
   * Hands a page to the provider, as VS Code does when the view is shown. VS Code gives the provider its real page
   * once, a moment after the view is first shown, and the provider keeps one page: one handed over before that
   * would be dropped, so a dropped page is replaced until one stays.
   */
  static async open(s: Pick<Services, 'metricsView'>): Promise<FakeWebviewView> {
    for (;;) {
      const page = new FakeWebviewView();
      void s.metricsView.resolveWebviewView(page.view, { state: undefined }, new vscode.CancellationTokenSource().token);
      await new Promise((r) => setTimeout(r, 500));
      if (!page.detached) return page;
    }
  }

  /** What a page posts to the host. */
  send(message: unknown): void {
    this.fromPage.fire(message);
  }

  /** The last state the host posted. */
  state(): MetricsViewState | undefined {
    return this.posted.findLast((m): m is Extract<HostToWebview, { type: 'state' }> => m.type === 'state')?.state;
  }

  /** The last confusion-cell examples the host posted. */
  examples(): ConfusionCellExamples | undefined {
    const last = this.posted.findLast((m): m is Extract<HostToWebview, { type: 'confusionExamples' }> => m.type === 'confusionExamples');
    if (!last) return undefined;
    const { type: _type, ...examples } = last;
    return examples;
  }

  close(): void {
    this.closed.fire();
  }
}
