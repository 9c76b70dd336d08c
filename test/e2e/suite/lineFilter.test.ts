// The editor as a filter, in the real extension host: Show Only / Hide Lines of Class… fold the other lines (the
// lines a person still sees are read back from the editor's visibleRanges, which skip folded lines), Show All
// Lines unfolds them, Lines per Class… counts, and textcat.labels.show picks which lines draw a label. The
// model is trained by the worker on the keyword fixture, so every class is certain.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { LineFilterState, Services } from '../../../src/extension/services';
import { fixtureUri, longestStall, textcatApi, waitFor } from './helpers';

const OPTIONS = { epochs: 20, batchSize: 8, learningRate: 0.05, hiddenUnits: 8, embeddingDim: 8 };
/** A keyword of each class of labels-train.csv. */
const KEYWORD = { billing: 'invoice', shipping: 'parcel', praise: 'thanks' } as const;
type Kind = keyof typeof KEYWORD;
/** The test file, line by line: the first line is praise, so "only billing" would hide the first line. */
const KINDS: (Kind | '')[] = ['praise', 'billing', 'shipping', 'shipping', 'billing', '', 'praise', 'billing', 'shipping', 'billing'];
const TEXT = KINDS.map((k, i) => (k ? `line ${i} the ${KEYWORD[k]} again` : '')).join('\n');
const linesOf = (...kinds: (Kind | '')[]) => KINDS.flatMap((k, i) => (kinds.includes(k) ? [i] : []));

function config(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration('textcat');
}

/** The lines the editor shows, from its visible ranges (folded lines are not in them). */
function visibleLines(editor: vscode.TextEditor): number[] {
  return editor.visibleRanges.flatMap((r) => Array.from({ length: r.end.line - r.start.line + 1 }, (_, i) => r.start.line + i));
}

async function waitForVisible(editor: vscode.TextEditor, expected: number[]): Promise<void> {
  await waitFor(
    `visible lines ${expected.join(',')}`,
    () => visibleLines(editor).join(','),
    (v) => v === expected.join(','),
  );
}

suite('Line filter', function () {
  this.timeout(120_000);
  let api: Services;

  async function removeModel(): Promise<void> {
    await vscode.workspace.fs.delete(api.settings.current.modelDir!, { recursive: true, useTrash: false }).then(undefined, () => undefined);
    await api.model.reload();
  }

  async function openText(content: string): Promise<vscode.TextEditor> {
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ content }));
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    return editor;
  }

  suiteSetup(async () => {
    api = await textcatApi();
    await api.worker.train({ path: fixtureUri('labels-train.csv').fsPath }, api.settings.current.modelDir!.fsPath, OPTIONS).done;
    await api.model.reload();
  });
  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const key of ['labels.show', 'labels.classes']) await config().update(key, undefined, vscode.ConfigurationTarget.Workspace);
    await removeModel();
  });
  teardown(() => vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor'));

  test('Show Only Lines of Class folds the other lines; the file stays editable; Show All Lines unfolds them', async () => {
    const editor = await openText(TEXT);
    editor.selection = new vscode.Selection(1, 0, 1, 0); // the cursor's line always stays in view: not on line 0 here
    const state = await vscode.commands.executeCommand<LineFilterState>('textcat.showOnlyLinesOfClass', 'billing');
    assert.deepEqual(state && { mode: state.mode, labels: state.labels, firstLineKept: state.firstLineKept }, {
      mode: 'only',
      labels: ['billing'],
      firstLineKept: true, // line 0 is praise: a fold keeps its first line in view
    });
    const shown = [0, ...linesOf('billing')];
    assert.equal(state.hiddenLines, KINDS.length - shown.length);
    await waitForVisible(editor, shown);
    assert.deepEqual(api.lineFilter.stateOf(editor.document)?.labels, ['billing']);

    // Editing a visible line edits the real file, at its true line number.
    await editor.edit((b) => b.insert(new vscode.Position(4, 0), '>> '));
    assert.equal(editor.document.lineAt(4).text, `>> line 4 the invoice again`);
    assert.equal(editor.document.lineCount, KINDS.length);

    assert.equal(await vscode.commands.executeCommand('textcat.showAllLines'), true);
    await waitForVisible(
      editor,
      KINDS.map((_, i) => i),
    );
    assert.equal(api.lineFilter.stateOf(editor.document), undefined);
    assert.equal(await vscode.commands.executeCommand('textcat.showAllLines'), false, 'no filter left');
  });

  test('Hide Lines of Class hides several classes, keeps blank lines and the cursor line', async () => {
    const editor = await openText(TEXT);
    editor.selection = new vscode.Selection(2, 0, 2, 0); // a shipping line
    const state = await vscode.commands.executeCommand<LineFilterState>('textcat.hideLinesOfClass', ['shipping', 'praise']);
    assert.equal(state?.mode, 'hide');
    assert.equal(state.firstLineKept, true);
    await waitForVisible(
      editor,
      [0, 2, ...linesOf('billing', '')].sort((a, b) => a - b),
    );
  });

  test('the filter follows an edit: a new line of a hidden class is folded once classified', async () => {
    const editor = await openText(TEXT);
    await vscode.commands.executeCommand('textcat.showOnlyLinesOfClass', 'billing');
    await waitForVisible(editor, [0, ...linesOf('billing')]);
    editor.selection = new vscode.Selection(9, 0, 9, 0);
    await editor.edit((b) => b.insert(new vscode.Position(9, editor.document.lineAt(9).text.length), '\nthe parcel is late'));
    editor.selection = new vscode.Selection(1, 0, 1, 0); // away from the new line
    await waitForVisible(editor, [0, ...linesOf('billing')]);
  });

  test('Lines per Class counts the lines of each class; its quick pick walks to the next line of the class', async () => {
    const editor = await openText(TEXT);
    const counts = await vscode.commands.executeCommand<{ counts: { label: string; lines: number }[]; unknown: number }>(
      'textcat.linesPerClass',
      { pick: false },
    );
    const byClass = new Map(counts.counts.map((c) => [c.label, c.lines]));
    for (const kind of ['billing', 'shipping', 'praise'] as const) assert.equal(byClass.get(kind), linesOf(kind).length, kind);
    assert.equal(counts.unknown, 0);

    const first = api.predictor.labels[0];
    const running = vscode.commands.executeCommand('textcat.linesPerClass');
    await new Promise((r) => setTimeout(r, 500)); // the quick pick is open now
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    await running;
    const expected = KINDS.findIndex((k, i) => i > 0 && k === first);
    if (expected > 0)
      await waitFor(
        'the cursor on the next line of the first class',
        () => editor.selection.active.line,
        (l) => l === expected,
      );
  });

  test('textcat.labels.show: activeLine, uncertain and classes draw the lines they say', async () => {
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(fixtureUri('labels-lines.txt')));
    const drawn = () => api.lineLabels.shownLabels(editor).map((l) => l.line);
    await waitFor('every label', drawn, (l) => l.length === 5);
    const set = async (show: string, classes?: string[]) => {
      await config().update('labels.classes', classes, vscode.ConfigurationTarget.Workspace);
      await config().update('labels.show', show, vscode.ConfigurationTarget.Workspace);
    };
    try {
      editor.selection = new vscode.Selection(1, 0, 1, 0);
      await set('activeLine');
      await waitFor('the cursor line only', drawn, (l) => l.join() === '1');
      editor.selection = new vscode.Selection(3, 0, 3, 0);
      await waitFor('the label follows the cursor', drawn, (l) => l.join() === '3');
      await set('classes', ['billing']);
      await waitFor('the billing lines', drawn, (l) => l.join() === '0,4');
      await set('uncertain');
      await waitFor('no uncertain line (the model is sure)', drawn, (l) => l.length === 0);
      await config().update('labels.minConfidence', 1, vscode.ConfigurationTarget.Workspace);
      await waitFor('every line is under a confidence of 1', drawn, (l) => l.length === 5);
    } finally {
      await config().update('labels.minConfidence', undefined, vscode.ConfigurationTarget.Workspace);
      await set('all', undefined);
    }
  });

  test('a 100,000-line log: Hide Lines of Class classifies and folds without stalling the host', async function () {
    // Runs of ten lines, as a log's requests come in blocks: 5,000 runs of shipping lines to fold away.
    const kind = (i: number) => (Math.floor(i / 10) % 2 === 0 ? 'parcel' : i % 2 ? 'invoice' : 'thanks');
    const editor = await openText(Array.from({ length: 100_000 }, (_, i) => `entry ${i} ${kind(i)} again`).join('\n'));
    editor.selection = new vscode.Selection(15, 0, 15, 0);
    const started = performance.now();
    const counting = await longestStall(
      () => Promise.resolve(vscode.commands.executeCommand('textcat.linesPerClass', { pick: false })),
      10,
    );
    const classified = performance.now();
    const { result, stallMs: foldStallMs } = await longestStall(
      () => Promise.resolve(vscode.commands.executeCommand<LineFilterState>('textcat.hideLinesOfClass', 'shipping')),
      10,
    );
    const stallMs = Math.max(counting.stallMs, foldStallMs);
    const seconds = `classified in ${((classified - started) / 1000).toFixed(1)} s, folded in ${((performance.now() - classified) / 1000).toFixed(1)} s`;
    this.test!.title += ` (${seconds}; worst event-loop gap ${counting.stallMs.toFixed(0)} ms classifying, ${foldStallMs.toFixed(0)} ms folding)`;
    assert.equal(result?.hiddenLines, 50_000 - 1, 'every shipping line but line 0 (a fold keeps its first line)');
    assert.equal(result.firstLineKept, true);
    assert.equal(result.unknownLines, 0);
    // Whatever part of the file is in view: no shipping line, and the runs of ten folded between the others.
    const shown = await waitFor(
      'only the other lines',
      () => visibleLines(editor),
      (v) => v.length > 12 && v.every((l) => kind(l) !== 'parcel'),
    );
    assert.ok(
      shown.some((l, i) => i > 0 && l - shown[i - 1] === 11),
      `a run of ten lines folded away: ${shown.join(',')}`,
    );
    assert.ok(stallMs < 500, `the extension host never stalled for long: worst gap ${stallMs.toFixed(0)} ms`);
    assert.equal(await vscode.commands.executeCommand('textcat.showAllLines'), true);
  });
});
