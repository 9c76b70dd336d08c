// The typed messages between the extension host, the worker and the webview, and the data they carry.
// Types only. Each side may import the one file it speaks (worker.ts, webview.ts) or everything from here.
export type * from './types';
export type * from './worker';
export type * from './webview';
