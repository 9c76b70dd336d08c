// esbuild bundles imported style sheets into dist/webview.css (loaded by the page's <link>).
declare module '*.css';
