// The Metrics page's HTML: no inline script or style, only the bundle and style sheets, each allowed by a
// strict CSP with a per-load nonce.

export function metricsHtml(p: { cspSource: string; nonce: string; script: string; styles: string[] }): string {
  const csp = [
    "default-src 'none'",
    `style-src ${p.cspSource} 'nonce-${p.nonce}'`,
    `script-src 'nonce-${p.nonce}'`,
    `img-src ${p.cspSource} data:`,
    `font-src ${p.cspSource}`,
  ].join('; ');
  const attr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${attr(csp)}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
${p.styles.map((href) => `  <link rel="stylesheet" nonce="${p.nonce}" href="${attr(href)}">`).join('\n')}
  <title>Textcat metrics</title>
</head>
<body>
  <main id="app" aria-busy="true"><p class="muted">Loading…</p></main>
  <script nonce="${p.nonce}" src="${attr(p.script)}"></script>
</body>
</html>`;
}
