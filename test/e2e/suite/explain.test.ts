// "Why this label" and one-click corrections in the hover, and the lines a retrain changed, against a real
// model in the extension host. The model is trained (by the worker) on a dataset the suite writes: each
// class is decided by one keyword, and lines without a keyword have a class of their own ("other"), so
// hiding a keyword really changes the prediction and occlusion can point at it.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { csvRecords } from '../../../src/core/format/csv';
import type { LineLabel, Services } from '../../../src/extension/services';
import { fixtureUri, nextEvent, textcatApi, textcatHover, waitFor } from './helpers';

/** A class whose name tries to end the link and add a command of its own: it must read as text. */
const EVIL = 'x](command:workbench.action.closeWindow "t")';
const KEYWORDS: Record<string, string> = { invoice: 'billing', parcel: 'shipping', thanks: EVIL };
const NOISE = ['the', 'a', 'my', 'for', 'please', 'today', 'with', 'some', 'again', 'this', 'from', 'one'];
const LINES = ['please check the invoice for me', 'my parcel is late again', 'thanks a lot for this', 'the one from today'];
const OPTIONS = { epochs: 20, batchSize: 8, learningRate: 0.05, hiddenUnits: 8, embeddingDim: 8 };

/** Rows of "text,label": each keyword with noise around it, and noise alone as "other". `flip` relabels a keyword. */
function dataset(flip: Record<string, string> = {}): string {
  let seed = 7;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const noise = (n: number) => Array.from({ length: n }, () => NOISE[Math.floor(rand() * NOISE.length)]);
  const rows = [['text', 'label']];
  for (let i = 0; i < 30; i++) {
    for (const [keyword, label] of Object.entries(KEYWORDS)) {
      const words = noise(2 + (i % 4));
      words.splice(i % words.length, 0, keyword);
      rows.push([words.join(' '), flip[keyword] ?? label]);
    }
    rows.push([noise(2 + (i % 4)).join(' '), 'other']);
  }
  return csvRecords(rows);
}

suite('Why this label, corrections, changed labels', function () {
  this.timeout(60_000);
  let api: Services;
  let editor: vscode.TextEditor;
  const shown = (): readonly LineLabel[] => api.lineLabels.shownLabels(editor);

  async function write(name: string, text: string): Promise<vscode.Uri> {
    const uri = fixtureUri(name);
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    return uri;
  }

  async function train(name: string): Promise<void> {
    await api.worker.train({ path: fixtureUri(name).fsPath }, api.settings.current.modelDir!.fsPath, OPTIONS).done;
    await api.model.reload();
  }

  async function removeModel(): Promise<void> {
    await vscode.workspace.fs.delete(api.settings.current.modelDir!, { recursive: true, useTrash: false }).then(undefined, () => undefined);
    await api.model.reload();
  }

  /** Our hover on a line: its markdown. */
  function hover(line: number): Promise<vscode.MarkdownString> {
    return textcatHover(editor.document.uri, new vscode.Position(line, 2));
  }

  /** "Why: **invoice** +0.93 · the +0.01" → [['invoice', 0.93, bold], …] */
  function why(markdown: string): { token: string; weight: number; bold: boolean }[] | undefined {
    const line = markdown.split('\n').find((l) => l.startsWith('Why\\:'));
    return line
      ?.slice('Why\\: '.length)
      .split(' · ')
      .map((part) => {
        const m = /^(\*\*)?(.+?)(?:\*\*)? ([+-]\d\.\d\d)$/.exec(part)!;
        return { token: m[2], weight: Number(m[3]), bold: !!m[1] };
      });
  }

  suiteSetup(async () => {
    api = await textcatApi();
    await removeModel();
    await write('explain-train.csv', dataset());
    await write('explain-flip.csv', dataset({ parcel: 'billing' }));
    await write('explain-lines.txt', LINES.join('\n') + '\n');
    await train('explain-train.csv');
    editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(fixtureUri('explain-lines.txt')));
    await waitFor('labels of explain-lines.txt', shown, (l) => l.length === LINES.length);
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.getConfiguration('textcat').update('labels.explain', undefined, vscode.ConfigurationTarget.Workspace);
    for (const f of ['explain-train.csv', 'explain-flip.csv', 'explain-lines.txt'])
      await vscode.workspace.fs.delete(fixtureUri(f)).then(undefined, () => undefined);
    await removeModel();
  });

  test('the keyword fixture is labeled as built', () => {
    assert.deepEqual(
      shown().map((l) => l.label),
      ['billing', 'shipping', EVIL, 'other'],
    );
  });

  test("the hover explains the label: the line's words with weights, the keyword on top", async () => {
    for (const [line, keyword] of [
      [0, 'invoice'],
      [1, 'parcel'],
      [2, 'thanks'],
    ] as const) {
      const markdown = (await hover(line)).value;
      const words = why(markdown);
      assert.ok(words, `a "Why" line on line ${line}:\n${markdown}`);
      assert.ok(words.length <= 5, 'at most five words');
      assert.equal(words[0].token, keyword, `the keyword weighs most on line ${line}: ${JSON.stringify(words)}`);
      assert.ok(words[0].bold && words[0].weight > 0.2, `the keyword is bold, with a large weight: ${JSON.stringify(words[0])}`);
      assert.deepEqual(
        [...words].sort((a, b) => b.weight - a.weight),
        words,
        'sorted by weight',
      );
      for (const w of words) assert.ok(LINES[line].split(' ').includes(w.token), `"${w.token}" is a word of the line`);
    }
    // The same figures straight from the worker (the hover's cache holds them now).
    const [explanation] = (await api.predictor.explain([LINES[0]]))!;
    assert.equal(explanation.label, 'billing');
    assert.deepEqual(
      explanation.tokens.map((t) => t.token),
      LINES[0].split(' '),
    );
  });

  test('the hover links "Correct to" each other class: textcat.labelLine with this document, line and class, nothing else runs', async () => {
    const markdown = await hover(1);
    assert.deepEqual(markdown.isTrusted, { enabledCommands: ['textcat.labelLine'] }, 'only textcat.labelLine may run from the hover');
    assert.ok(!markdown.supportHtml, 'no HTML');
    const correct = markdown.value.split('\n').find((l) => l.startsWith('Correct to\\:'));
    assert.ok(correct, `a "Correct to" line:\n${markdown.value}`);
    const links = [...correct.matchAll(/\[((?:[^\]\\]|\\.)*)\]\(command:([\w.]+)\?([^ )]+) "/g)].map((m) => ({
      text: m[1],
      command: m[2],
      args: JSON.parse(decodeURIComponent(m[3])) as [Parameters<typeof vscode.Uri.from>[0], number, string],
    }));
    assert.equal(links.length, 3, `one link per other class: ${correct}`);
    assert.deepEqual(
      links.map((l) => l.command),
      ['textcat.labelLine', 'textcat.labelLine', 'textcat.labelLine'],
    );
    assert.deepEqual(
      links.map((l) => l.args[2]).sort(),
      ['billing', 'other', EVIL].sort(),
      'the classes other than the predicted one (shipping)',
    );
    for (const { args, text } of links) {
      assert.equal(vscode.Uri.from(args[0]).toString(), editor.document.uri.toString(), 'this document');
      assert.equal(args[1], 1, 'this line (0-based)');
      assert.equal(text.replace(/\\(.)/g, '$1'), args[2], 'the link reads as the class, escaped');
    }
    // The markup class name stays text: the only command links in the whole hover are ours.
    const commands = [...markdown.value.matchAll(/\]\(command:([^?)]+)/g)].map((m) => m[1]);
    assert.deepEqual([...new Set(commands)], ['textcat.labelLine']);
    assert.ok(!markdown.value.includes('command:workbench'), 'the class name cannot add a link');
  });

  test('textcat.labels.explain off: the hover has no "Why" (and the probabilities still)', async () => {
    const config = vscode.workspace.getConfiguration('textcat');
    await config.update('labels.explain', false, vscode.ConfigurationTarget.Workspace);
    try {
      await waitFor(
        'setting read',
        () => api.settings.current.labels.explain,
        (v) => v === false,
      );
      const markdown = (await hover(0)).value;
      assert.equal(why(markdown), undefined, markdown);
      assert.ok(markdown.includes('| billing |'));
    } finally {
      await config.update('labels.explain', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  test('after retraining on data that moves "parcel" to billing, only that line is reported as changed', async () => {
    // Listened for before the retrain: the event comes once the new model has drawn the editor.
    const reported = nextEvent(api.lineLabels.onDidChangeAfterRetrain);
    await train('explain-flip.csv');
    await waitFor(
      'labels of the new model',
      () => shown().map((l) => l.label),
      (l) => l.length === LINES.length && l[1] === 'billing',
    );
    const changed = await reported;
    assert.deepEqual(
      changed.map(({ uri, line, before, after }) => ({ uri, line, before, after })),
      [{ uri: editor.document.uri.toString(), line: 1, before: 'shipping', after: 'billing' }],
    );
    assert.deepEqual(
      shown().map((l) => l.label),
      ['billing', 'billing', EVIL, 'other'],
      'the other lines kept their labels',
    );
  });
});
