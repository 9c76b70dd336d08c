// The "Metrics" view in the Textcat activity-bar container. The page itself lives in src/webview
// (bundled to dist/webview.js); this side only serves the HTML, with a strict CSP and a per-load nonce.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

export class MetricsViewProvider implements vscode.WebviewViewProvider {
  static readonly viewId = 'textcat.metrics';

  constructor(private readonly extensionUri: vscode.Uri) {}

  resolveWebviewView(view: vscode.WebviewView): void {
    view.webview.options = {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist'), vscode.Uri.joinPath(this.extensionUri, 'media')],
    };
    view.webview.html = this.html(view.webview);
  }

  private html(webview: vscode.Webview): string {
    const nonce = randomBytes(16).toString('hex');
    const script = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', 'metrics.css'));
    const csp = [
      "default-src 'none'",
      `style-src ${webview.cspSource}`,
      `img-src ${webview.cspSource}`,
      `script-src 'nonce-${nonce}'`,
    ].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${csp}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <link rel="stylesheet" href="${style}">
  <title>Textcat metrics</title>
</head>
<body>
  <h2>Textcat metrics</h2>
  <p class="status" id="status">No model trained yet</p>
  <script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
  }
}
