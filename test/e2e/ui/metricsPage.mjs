// The Metrics page on its own, in a browser tab: the real dist/webview.js and style sheets, the theme's CSS
// variables and VS Code's default webview styles as read from the workbench's own webview, and a host that is
// this test (it posts the state, and records what the page asks). The workbench runs in English; this is how
// a test shows the page in another display language: with that language's tag and string bundle, exactly as
// src/extension/metricsView.ts writes them into the page.
/* global NodeFilter -- used in a function that runs in the page (evaluate) */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

const attr = (s) => String(s).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** What the page looks like in the workbench now: its <html> style (the theme's variables), body classes, default styles, width. */
export async function readLook(view) {
  return view.locator('html').evaluate((html) => ({
    htmlStyle: html.getAttribute('style') ?? '',
    bodyClass: [...document.body.classList].filter((c) => c.startsWith('vscode-')).join(' '),
    styles: [...document.querySelectorAll('style')].map((s) => s.textContent).join('\n'),
    width: document.documentElement.clientWidth,
  }));
}

/** A tab with the page; `bundle` undefined means English (as vscode.l10n.bundle is then). */
export async function openMetricsPage(context, { look, language, bundle, height = 1000 }) {
  const page = await context.newPage();
  await page.setViewportSize({ width: look.width, height });
  const data = bundle ? ` data-l10n="${attr(JSON.stringify(bundle))}"` : '';
  await page.setContent(
    `<!DOCTYPE html><html lang="${attr(language)}" style="${attr(look.htmlStyle)}"><head><meta charset="UTF-8"></head>` +
      `<body class="${attr(look.bodyClass)}"${data}><main id="app" aria-busy="true"></main></body></html>`,
  );
  await page.evaluate(() => {
    window.posted = [];
    window.acquireVsCodeApi = () => ({ getState: () => undefined, setState: () => {}, postMessage: (m) => window.posted.push(m) });
  });
  // The workbench draws the sidebar's background behind the (transparent) webview.
  await page.addStyleTag({ content: `${look.styles}\nhtml { background: var(--vscode-sideBar-background); }` });
  await page.addStyleTag({ path: join(ROOT, 'dist', 'webview.css') });
  await page.addStyleTag({ path: join(ROOT, 'media', 'metrics.css') });
  await page.addScriptTag({ path: join(ROOT, 'dist', 'webview.js') });
  return page;
}

/** Posts a message from "the host" and waits for the page to draw it. */
export async function post(page, message) {
  await page.evaluate((m) => window.postMessage(m, '*'), message);
  await page.locator('body[data-ready="true"]').waitFor();
  await page.waitForTimeout(50);
}

/**
 * Every string the page shows or says: text nodes (`data` when inside an element that holds the user's data:
 * class names, paths, option names and values, example texts) and titles and aria-labels.
 */
export async function pageStrings(page) {
  return page.evaluate(() => {
    const out = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.nodeValue.trim();
      const parent = node.parentElement;
      if (!text || parent.closest('script, style')) continue;
      const data = !!parent.closest('code, .class-text, .chip, .path, .run-dataset, .example-text');
      out.push({ text, data, where: parent.className || parent.tagName.toLowerCase() });
    }
    for (const el of document.body.querySelectorAll('[title], [aria-label]')) {
      for (const name of ['title', 'aria-label']) {
        const text = el.getAttribute(name);
        if (text) out.push({ text, data: false, where: `${el.tagName.toLowerCase()}[${name}]` });
      }
    }
    return out;
  });
}
