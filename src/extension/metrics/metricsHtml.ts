// The Metrics page's HTML: no inline script or style, only the bundle and style sheets, each allowed by a
// strict CSP with a per-load nonce. The page speaks VS Code's display language: <html lang> and, in
// <body data-l10n>, the extension's string bundle for it (vscode.l10n.bundle; none for English), which the
// page's @vscode/l10n reads before its first draw (src/webview/locale.ts).

/** The display language, its bundle, and the two strings the host itself writes into the page. */
export interface PageLanguage {
  language: string;
  bundle?: Record<string, string>;
  title?: string;
  loading?: string;
}

export function metricsHtml(p: { cspSource: string; nonce: string; script: string; styles: string[]; l10n?: PageLanguage }): string {
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
  <title>${attr(p.l10n?.title ?? 'Textcat metrics')}</title>
</head>
<body${p.l10n?.bundle ? ` data-l10n="${attr(JSON.stringify(p.l10n.bundle))}"` : ''}>
  <main id="app" aria-busy="true"><p class="muted">${attr(p.l10n?.loading ?? 'Loading…')}</p></main>
  <script nonce="${p.nonce}" src="${attr(p.script)}"></script>
</body>
</html>`;
}
