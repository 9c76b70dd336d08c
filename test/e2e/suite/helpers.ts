import * as assert from 'node:assert/strict';
import Mocha from 'mocha';
import * as vscode from 'vscode';
import type { Services } from '../../../src/extension/services';

export const EXTENSION_ID = 'textcat.textcat';

/** The folder run.mjs opens in Restricted Mode, and the tag of the suites that run there too (index.ts greps it). */
export const RESTRICTED_WORKSPACE = /^restricted-workspace$/;
export const BOTH_TRUST_STATES = '@both-trust-states'; // mocha.grep takes a string as a regular expression

export async function activateTextcat(): Promise<vscode.Extension<unknown>> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension, `extension ${EXTENSION_ID} is not installed in this host`);
  if (!extension.isActive) {
    // A figure for the notes (activation must stay light: no tfjs on the host), never asserted.
    const started = performance.now();
    await extension.activate();
    Mocha.reporters.Base.consoleLog(`Textcat activated in ${(performance.now() - started).toFixed(1)} ms (module load included)`);
  }
  return extension;
}

/** A file of the fixture workspace (test/e2e/fixture, copied by the launcher into a temp folder). */
export function fixtureUri(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the host was started without the fixture workspace');
  return vscode.Uri.joinPath(folder.uri, name);
}

/** Polls `read` until `done` holds, failing with the last value after `timeoutMs`. */
export async function waitFor<T>(what: string, read: () => T, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = read();
  while (!done(value)) {
    if (Date.now() > deadline) assert.fail(`${what}: still ${JSON.stringify(value)} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
    value = read();
  }
  return value;
}

/** The longest the host's thread went without running a timer (every `everyMs`) while `work` ran, in ms. */
export async function longestStall<T>(work: () => Promise<T>, everyMs = 20): Promise<{ result: T; stallMs: number }> {
  let last = performance.now();
  let stallMs = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    stallMs = Math.max(stallMs, now - last);
    last = now;
  }, everyMs);
  try {
    const result = await work();
    return { result, stallMs };
  } finally {
    clearInterval(timer);
  }
}

/** Polls `read` until it gives a value. */
export async function until<T>(read: () => T | undefined, what: string, ms = 10_000): Promise<T> {
  return (await waitFor(what, read, (value) => value !== undefined, ms)) as T;
}

/** The extension's API (its Services), activated. */
export async function textcatApi(): Promise<Services> {
  return (await activateTextcat()).exports as Services;
}

/** A notification as the extension asked for it, with the buttons it offered. */
export interface ShownMessage {
  readonly severity: 'information' | 'warning' | 'error';
  readonly message: string;
  readonly items: readonly string[];
}

/**
 * Records the notifications the extension shows (it calls the same vscode.window as the tests) until
 * `restore()`; `answer` picks the button a person would click (none by default: dismissed).
 */
export function captureMessages(answer: (shown: ShownMessage) => string | undefined = () => undefined): {
  readonly shown: ShownMessage[];
  restore(): void;
} {
  const shown: ShownMessage[] = [];
  const window = vscode.window as unknown as Record<string, unknown>;
  const names = { information: 'showInformationMessage', warning: 'showWarningMessage', error: 'showErrorMessage' } as const;
  const originals = Object.values(names).map((name) => [name, window[name]] as const);
  for (const [severity, name] of Object.entries(names) as [ShownMessage['severity'], string][]) {
    window[name] = (message: string, ...rest: unknown[]) => {
      const message_ = { severity, message, items: rest.filter((r): r is string => typeof r === 'string') };
      shown.push(message_);
      return Promise.resolve(answer(message_));
    };
  }
  return { shown, restore: () => originals.forEach(([name, original]) => (window[name] = original)) };
}

/**
 * Records every message the extension shows and still shows it, as the user would see it: run.mjs watches the
 * workbench's DOM for links in notifications, so these must reach it.
 */
export function recordMessages(): { readonly shown: ShownMessage[]; restore(): void } {
  const shown: ShownMessage[] = [];
  const window = vscode.window as unknown as Record<string, (...args: unknown[]) => unknown>;
  const names = { information: 'showInformationMessage', warning: 'showWarningMessage', error: 'showErrorMessage' } as const;
  const originals = Object.values(names).map((name) => [name, window[name]] as const);
  for (const [severity, name] of Object.entries(names) as [ShownMessage['severity'], string][]) {
    const original = window[name];
    window[name] = (message: unknown, ...rest: unknown[]) => {
      shown.push({ severity, message: String(message), items: rest.filter((r): r is string => typeof r === 'string') });
      return original.call(vscode.window, message, ...rest);
    };
  }
  return { shown, restore: () => originals.forEach(([name, original]) => (window[name] = original)) };
}

/** The next value of `event` that satisfies `predicate`; listen before doing what fires it. */
export function nextEvent<T>(event: vscode.Event<T>, predicate: (value: T) => boolean = () => true, ms = 60_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      listener.dispose();
      reject(new Error(`no matching event within ${ms} ms`));
    }, ms);
    const listener = event((value) => {
      if (!predicate(value)) return;
      clearTimeout(timer);
      listener.dispose();
      resolve(value);
    });
  });
}

/** The Textcat hover at a position (there must be exactly one): its markdown. */
export async function textcatHover(uri: vscode.Uri, position: vscode.Position): Promise<vscode.MarkdownString> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position);
  const ours = hovers
    .flatMap((h) => h.contents)
    .filter((c): c is vscode.MarkdownString => c instanceof vscode.MarkdownString && c.value.startsWith('**Textcat**'));
  assert.equal(ours.length, 1, `one Textcat hover on line ${position.line}`);
  return ours[0];
}

/** The workspace's model folder, and whether it holds a saved model now (a suite that trains leaves it as it found it). */
export async function modelFolder(s: Pick<Services, 'model'>): Promise<{ modelDir: vscode.Uri; hadModel: boolean }> {
  const modelDir = s.model.modelDir;
  assert.ok(modelDir, 'the fixture workspace gives a model folder');
  const hadModel = await vscode.workspace.fs.stat(vscode.Uri.joinPath(modelDir, 'textcat.json')).then(
    () => true,
    () => false,
  );
  return { modelDir, hadModel };
}

/**
 * Makes every progress notification the extension shows cancelled at once, as if the user clicked its Cancel
 * (until `restore()`); records the options each was shown with.
 */
export function cancelProgress(): { readonly shown: vscode.ProgressOptions[]; restore(): void } {
  const window = vscode.window as unknown as { withProgress: typeof vscode.window.withProgress };
  const original = window.withProgress;
  const shown: vscode.ProgressOptions[] = [];
  window.withProgress = (options, task) => {
    shown.push(options);
    const cancelled = new vscode.CancellationTokenSource();
    cancelled.cancel();
    return original(options, (progress) => task(progress, cancelled.token));
  };
  return { shown, restore: () => (window.withProgress = original) };
}
