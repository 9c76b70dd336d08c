// Runs inside the Metrics webview (a browser page, no Node, no vscode module). Messages to and from the
// extension will be declared in src/protocol.ts; until then the page only marks that its script ran,
// which also proves the CSP nonce lets it load.
interface WebviewApi {
  getState(): unknown;
  setState(state: unknown): void;
  postMessage(message: unknown): void;
}
declare function acquireVsCodeApi(): WebviewApi;

const api = acquireVsCodeApi();
api.setState(api.getState() ?? {});
document.body.dataset.ready = 'true';
