// A stranger's repository, opened in the real VS Code: it chooses its .textcat/model (every field of textcat.json),
// its datasets, its .vscode/settings.json and its symbolic links. Every case runs twice: in a trusted folder (the
// first suite pass) and in Restricted Mode (run.mjs opens a folder never trusted, index.ts runs this suite
// there). Each asserts that no file beside the workspace changed (hashed before and after), that no message the
// extension showed holds a link in VS Code's grammar (run.mjs also watches the DOM of the notifications), and,
// for the huge manifests, that the extension host's thread was never blocked for a second.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { basename, join } from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';
import type { Services } from '../../../src/extension/services';
import {
  BOTH_TRUST_STATES,
  fixtureUri,
  longestStall,
  recordMessages,
  RESTRICTED_WORKSPACE,
  textcatApi,
  until,
  type ShownMessage,
} from './helpers';

const OPTIONS = { epochs: 1, batchSize: 8, hiddenUnits: 8, embeddingDim: 8, bidirectional: false, wideNgrams: 2000 };
/** VS Code's grammar for links in a notification (src/vs/base/common/linkedText.ts). */
const VSCODE_LINK = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/gi;
const LINK = '[Install](command:workbench.extensions.installExtension?%22evil.extension%22)';

/** Every file under `dir` with the hash of its bytes (links as their target), so any change shows. */
function hashTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort()) {
    const file = join(dir, name);
    const stats = fs.lstatSync(file);
    if (stats.isSymbolicLink()) out[name] = `link → ${fs.readlinkSync(file)}`;
    else if (stats.isFile()) out[name] = createHash('sha256').update(fs.readFileSync(file)).digest('hex');
    else out[name] = 'folder';
  }
  return out;
}

/** A figure for the notes (the bound is asserted separately). */
function report(what: string, stallMs: number, heapBytes?: number): void {
  const heap = heapBytes === undefined ? '' : `, host heap ${heapBytes >= 0 ? '+' : ''}${(heapBytes / 2 ** 20).toFixed(1)} MiB`;
  Mocha.reporters.Base.consoleLog(`      ${what}: longest stall of the host's thread ${stallMs.toFixed(0)} ms${heap}`);
}

suite(`Hostile repository ${BOTH_TRUST_STATES}`, function () {
  this.timeout(180_000);
  let api: Services;
  let workspace: string;
  let outside: string;
  let pristine: string;
  let linkLabels: string;
  let modelDir: string;
  let backup: string | undefined;
  let outsideBefore: Record<string, string>;
  let messages: ReturnType<typeof recordMessages>;
  let restricted: boolean;
  let activationProblem: string | undefined;

  suiteSetup(async () => {
    api = await textcatApi();
    // What the model folder held when the window opened (the Restricted Mode pass plants a hostile one).
    const settled = () => api.model.problem ?? (api.model.manifest || !fs.existsSync(api.model.modelDir!.fsPath) ? '' : undefined);
    activationProblem = (await until(settled, 'the first read of the model folder')) || undefined;
    workspace = vscode.workspace.workspaceFolders![0].uri.fsPath;
    restricted = RESTRICTED_WORKSPACE.test(basename(workspace));
    // Beside the workspace: what a hostile repository points at. Hashed before and after every test.
    outside = join(workspace, '..', `outside-${basename(workspace)}`);
    const models = join(workspace, '..', `models-${basename(workspace)}`);
    fs.rmSync(outside, { recursive: true, force: true });
    fs.mkdirSync(join(outside, 'data'), { recursive: true });
    fs.writeFileSync(join(outside, 'data', 'data.csv'), 'text,label\nkeep me,a\n');
    fs.writeFileSync(join(outside, '.bashrc'), 'echo mine\n');
    fs.writeFileSync(join(outside, 'vectors.vec'), '1 8\nbox 0 0 0 0 0 0 0 0\n');
    // Models trained through the worker directly (the commands would refuse in Restricted Mode), outside the workspace.
    pristine = join(models, 'pristine');
    linkLabels = join(models, 'link-labels');
    fs.rmSync(models, { recursive: true, force: true });
    await api.worker.train({ path: fixtureUri('labels-train.csv').fsPath }, pristine, OPTIONS).done;
    const linked = join(models, 'link-labels.csv');
    const rows = fs.readFileSync(fixtureUri('labels-train.csv').fsPath, 'utf8').trim().split('\n').slice(1);
    fs.writeFileSync(linked, ['text,label', ...rows.map((r, i) => `${r.split(',')[0]},"${i % 2 ? LINK : '[ok](command:x)'}"`)].join('\n'));
    await api.worker.train({ path: linked }, linkLabels, OPTIONS).done;
    fs.cpSync(pristine, join(outside, 'model'), { recursive: true });
    modelDir = api.model.modelDir!.fsPath;
    if (fs.existsSync(modelDir)) {
      backup = `${modelDir}.before-hostile`;
      fs.renameSync(modelDir, backup);
    }
    outsideBefore = hashTree(outside);
  });

  suiteTeardown(async () => {
    fs.rmSync(modelDir, { recursive: true, force: true });
    if (backup) fs.renameSync(backup, modelDir);
    await api.model.reload();
  });

  setup(() => {
    messages = recordMessages();
  });

  teardown(async () => {
    messages.restore();
    assert.deepEqual(hashTree(outside), outsideBefore, 'a file beside the workspace changed');
    for (const { message } of messages.shown) assert.deepEqual([...message.matchAll(VSCODE_LINK)], [], `a link in: ${message}`);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  /** The workspace's .vscode/settings.json with `change` added (the fixture's own settings kept); returns the undo. */
  function writeWorkspaceSettings(change: Record<string, unknown>): () => void {
    const file = join(workspace, '.vscode', 'settings.json');
    const before = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
    fs.mkdirSync(join(workspace, '.vscode'), { recursive: true });
    fs.writeFileSync(file, JSON.stringify({ ...(before ? (JSON.parse(before) as object) : {}), ...change }, null, 2));
    return () => (before === undefined ? fs.rmSync(file, { force: true }) : fs.writeFileSync(file, before));
  }

  /** Puts a copy of `source` where the workspace's model goes, edited, and has the extension read it. */
  async function plant(source: string, edit: (manifest: Record<string, unknown>) => void = () => undefined): Promise<void> {
    fs.rmSync(modelDir, { recursive: true, force: true });
    fs.cpSync(source, modelDir, { recursive: true });
    const file = join(modelDir, 'textcat.json');
    const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    edit(manifest);
    fs.writeFileSync(file, JSON.stringify(manifest));
    await api.model.reload();
  }

  function setDatasetPath(path: string) {
    return (m: Record<string, unknown>) => ((m.dataset as Record<string, unknown>).path = path);
  }

  /** The message the user was shown for a refusal: the trust one in Restricted Mode, `trusted` otherwise. */
  async function refusal(trusted: RegExp): Promise<ShownMessage> {
    const wanted = restricted ? /needs a trusted workspace\. This folder is open in Restricted Mode/ : trusted;
    const shown = await until(() => messages.shown.find((m) => wanted.test(m.message)), `a message matching ${wanted}`);
    if (restricted) assert.deepEqual(shown.items, ['Manage Workspace Trust']);
    return shown;
  }

  test('the folder is in the trust state this pass is for', () => {
    assert.equal(vscode.workspace.isTrusted, !restricted);
  });

  test('activation met a million-label manifest (Restricted Mode pass: run.mjs planted it) and answered commands at once', async function () {
    if (!restricted) this.skip();
    assert.match(activationProblem ?? '', /"labels" has 1000000 classes, more than 1000/);
    const { stallMs } = await longestStall(() => Promise.resolve(vscode.commands.executeCommand('textcat.showMetrics')));
    report('a command after activation on a million-label manifest', stallMs);
    assert.ok(stallMs < 1000, `the host's thread stalled ${stallMs.toFixed(0)} ms`);
  });

  test("a manifest's dataset path out of the workspace (../, absolute, a link out, a file that is no dataset): Label Line As… and retrain refuse", async () => {
    fs.symlinkSync(join(outside, 'data', 'data.csv'), join(workspace, 'data-link.csv'));
    fs.copyFileSync(join(outside, '.bashrc'), join(workspace, '.bashrc'));
    const document = await vscode.workspace.openTextDocument(fixtureUri('sample.txt'));
    await vscode.window.showTextDocument(document);
    const cases: [string, RegExp][] = [
      [join('..', basename(outside), 'data', 'data.csv'), /the model's dataset lies outside the workspace/],
      [join(outside, 'data', 'data.csv'), /the model's dataset lies outside the workspace/],
      ['data-link.csv', /data-link\.csv: the model's dataset lies outside the workspace \(it resolves to .*data\.csv\)/],
      ['.bashrc', /\.bashrc: is not a csv dataset file by its name/],
    ];
    try {
      for (const [path, message] of cases) {
        await plant(pristine, setDatasetPath(path));
        assert.ok(api.model.manifest, 'the model itself is fine: its labels may show');
        messages.shown.length = 0;
        const written = await vscode.commands.executeCommand('textcat.labelLine', document.uri, 0, 'billing');
        assert.equal(written, undefined, path);
        await refusal(message);
        if (path === '.bashrc') continue; // inside the workspace: retraining may read it (and reject it as no dataset)
        messages.shown.length = 0;
        assert.equal(await vscode.commands.executeCommand('textcat.train', { retrain: true }), undefined);
        await refusal(/the dataset lies outside the workspace/);
      }
      assert.equal(fs.readFileSync(join(workspace, '.bashrc'), 'utf8'), 'echo mine\n', 'nothing appended to a non-dataset');
    } finally {
      fs.rmSync(join(workspace, 'data-link.csv'), { force: true });
      fs.rmSync(join(workspace, '.bashrc'), { force: true });
    }
  });

  test("the metrics page's example link does not open a file out of the workspace", async () => {
    await plant(pristine, setDatasetPath(join(outside, 'data', 'data.csv')));
    const example = api.model.manifest!.validationExamples[0];
    assert.equal(await api.metricsView.openExample(example.line, example.file), undefined);
    assert.ok(!vscode.window.visibleTextEditors.some((e) => e.document.uri.fsPath.startsWith(outside)));
  });

  test('a model folder that is a symbolic link out of the workspace is neither read nor trained into', async () => {
    fs.rmSync(modelDir, { recursive: true, force: true });
    fs.mkdirSync(join(modelDir, '..'), { recursive: true });
    fs.symlinkSync(join(outside, 'model'), modelDir);
    await api.model.reload();
    assert.equal(api.model.manifest, undefined, 'no labels from a model outside the workspace');
    assert.match(api.model.problem ?? '', /The model folder lies outside the workspace \(it resolves to .*model\)/);
    // The status bar says the model is not used, and why, rather than "no model".
    assert.match(api.statusBar.item.text, /Textcat: model not used/);
    assert.match((api.statusBar.item.tooltip as vscode.MarkdownString).value, /lies outside the workspace/);
    assert.equal(await vscode.commands.executeCommand('textcat.train', fixtureUri('labels-train.csv')), undefined);
    await refusal(/The model folder lies outside the workspace/);
    fs.rmSync(modelDir, { force: true });
  });

  test('.vscode/settings.json pointing textcat.modelPath out of the workspace', async () => {
    const outsideModel = join(outside, 'model');
    // review.measure is not restricted: once it reads 'entropy', VS Code has read the file.
    const restore = writeWorkspaceSettings({ 'textcat.modelPath': outsideModel, 'textcat.review.measure': 'entropy' });
    try {
      await until(() => api.settings.current.review.measure === 'entropy' || undefined, 'the workspace settings read');
      if (restricted) {
        // Restricted: the workspace's value of a restricted setting does not count.
        assert.equal(api.settings.current.modelDir?.fsPath, modelDir);
      } else {
        await until(() => api.settings.current.modelDir?.fsPath === outsideModel || undefined, 'the snapshot to follow the setting');
        await api.model.reload();
        assert.equal(api.model.manifest, undefined);
        assert.match(api.model.problem ?? '', /The model folder lies outside the workspace/);
      }
      assert.equal(await vscode.commands.executeCommand('textcat.train', fixtureUri('labels-train.csv')), undefined);
      await refusal(/The model folder lies outside the workspace/);
    } finally {
      restore();
      await until(() => api.settings.current.review.measure === 'margin' || undefined, 'the settings restored');
      await until(() => api.settings.current.modelDir?.fsPath === modelDir || undefined, 'the default model folder');
    }
  });

  test('a workspace vectors file out of the workspace is refused (trusted), and Train needs trust (restricted)', async () => {
    const vectors = join(outside, 'vectors.vec');
    const restore = writeWorkspaceSettings({ 'textcat.training.pretrainedVectors': vectors, 'textcat.review.measure': 'entropy' });
    try {
      await until(() => api.settings.current.review.measure === 'entropy' || undefined, 'the workspace settings read');
      if (!restricted) await until(() => api.settings.current.training.pretrainedVectors === vectors || undefined, 'the snapshot');
      else assert.equal(api.settings.current.training.pretrainedVectors, undefined, 'ignored in Restricted Mode');
      assert.equal(await vscode.commands.executeCommand('textcat.train', fixtureUri('labels-train.csv')), undefined);
      await refusal(/the pretrained vectors file lies outside the workspace/);
    } finally {
      restore();
      await until(() => api.settings.current.review.measure === 'margin' || undefined, 'the settings restored');
      assert.equal(api.settings.current.training.pretrainedVectors, undefined);
    }
  });

  test('labels, shape keys, option names, dtypes and weight paths carrying [x](command:…) reach no message as a link', async () => {
    // Labels that are links: the model is sound, its labels show, and the messages that name a class are inert.
    await plant(linkLabels);
    assert.deepEqual(api.model.manifest?.labels.sort(), [LINK, '[ok](command:x)'].sort());
    const log = await vscode.window.showTextDocument(fixtureUri('themes-lines.log'));
    await vscode.commands.executeCommand('textcat.nextLineOfClass', `[nope](command:workbench.action.reloadWindow)`);
    await until(() => messages.shown.find((m) => /has no class/.test(m.message)), 'the "no class" message');
    // Damaged manifests (read by the host's reader) and model.json fields (read by the worker when the log is labeled).
    const damaged: [string, (dir: string) => void][] = [
      ['shape key', (dir) => editJson(join(dir, 'textcat.json'), (m) => ((m.shape as Record<string, unknown>)[LINK] = { x: 1 }))],
      ['option name', (dir) => editJson(join(dir, 'textcat.json'), (m) => ((m.options as Record<string, unknown>)[LINK] = 1))],
    ];
    for (const [what, make] of damaged) {
      fs.rmSync(modelDir, { recursive: true, force: true });
      fs.cpSync(pristine, modelDir, { recursive: true });
      make(modelDir);
      await api.model.reload();
      assert.equal(api.model.manifest, undefined, what);
      await until(
        () => messages.shown.find((m) => m.message.includes('cannot use the model') && m.message.includes('command:')),
        `the ${what} message`,
      );
    }
    for (const [what, edit] of [
      ['dtype', (w: { dtype: string }) => (w.dtype = LINK)],
      ['weights path', (_: unknown, group: { paths: string[] }) => (group.paths = [LINK])],
    ] as const) {
      await plant(pristine, (m) => (m.runId = `hostile-${what}`));
      editJson(join(modelDir, 'model.json'), (json) => {
        const group = (json.weightsManifest as { paths: string[]; weights: { dtype: string }[] }[])[0];
        edit(group.weights[0], group);
      });
      messages.shown.length = 0;
      log.selection = new vscode.Selection(0, 0, 0, log.document.lineAt(0).text.length);
      await vscode.commands.executeCommand('textcat.classifySelection');
      await until(() => messages.shown.find((m) => m.message.includes('command:')), `the ${what} message`);
    }
  });

  test("showing labels touches nothing in the model's folder in Restricted Mode (a killed save's leftovers stay)", async () => {
    await plant(pristine);
    // What a save killed mid-way leaves (core/store/modelFolder.ts): <model>.tmp-<dead pid>-<time>-<random>.
    const leftover = `${modelDir}.tmp-4194300-${Date.now().toString(36)}-1f`;
    fs.mkdirSync(leftover);
    fs.writeFileSync(join(leftover, 'weights.bin'), 'partial');
    try {
      const answer = await api.predictor.classify([`a line no model has seen ${Math.random()}`], { remember: false });
      assert.ok(answer, 'the model predicted');
      // Trusted, a read recovers (removes a dead process's temp folder); in Restricted Mode nothing is written.
      assert.equal(fs.existsSync(leftover), restricted);
    } finally {
      fs.rmSync(leftover, { recursive: true, force: true });
    }
  });

  test('a label line link (hover, quick fix) naming a file out of the workspace that is not open is refused', async () => {
    await plant(pristine);
    const target = vscode.Uri.file(join(outside, 'data', 'data.csv'));
    assert.equal(await vscode.commands.executeCommand('textcat.labelLine', target, 0, 'billing'), undefined);
    await refusal(/is neither open nor in the workspace/);
  });

  test('Export Model and Export Predictions write only where the user picked (a caller cannot aim them out of the workspace)', async () => {
    await plant(pristine);
    assert.equal(await vscode.commands.executeCommand('textcat.exportModel', vscode.Uri.file(join(outside, 'model.onnx'))), undefined);
    await refusal(/the export lies outside the workspace/);
    messages.shown.length = 0;
    await vscode.window.showTextDocument(fixtureUri('sample.txt'));
    assert.equal(await vscode.commands.executeCommand('textcat.exportPredictions', vscode.Uri.file(join(outside, 'p.csv'))), undefined);
    await refusal(/the export lies outside the workspace/);
  });

  for (const labels of [100_000, 1_000_000]) {
    test(`a manifest of ${labels.toLocaleString('en')} labels: refused by the class cap off the host thread, no decoration types`, async () => {
      await plant(pristine);
      const manifest = JSON.parse(fs.readFileSync(join(modelDir, 'textcat.json'), 'utf8')) as Record<string, unknown>;
      manifest.labels = Array.from({ length: labels }, (_, i) => `class ${i}`);
      (manifest.shape as Record<string, unknown>).numClasses = labels;
      fs.writeFileSync(join(modelDir, 'textcat.json'), JSON.stringify(manifest));
      const heapBefore = process.memoryUsage().heapUsed;
      const { stallMs } = await longestStall(() => api.model.reload());
      assert.equal(api.model.manifest, undefined);
      assert.match(api.model.problem ?? '', new RegExp(`"labels" has ${labels} classes, more than 1000`));
      report(`${labels} labels`, stallMs, process.memoryUsage().heapUsed - heapBefore);
      assert.ok(stallMs < 1000, `the host's thread stalled ${stallMs.toFixed(0)} ms`);
      assert.ok(process.memoryUsage().heapUsed - heapBefore < 64 * 2 ** 20, 'the host heap did not take the manifest');
      // Another command answers at once.
      const { stallMs: commandMs } = await longestStall(() => Promise.resolve(vscode.commands.executeCommand('textcat.toggleLineLabels')));
      assert.ok(commandMs < 1000);
      await vscode.commands.executeCommand('textcat.toggleLineLabels');
    });
  }

  test('a 100 MiB manifest is read off the host thread, which never stalls for a second', async () => {
    await plant(pristine);
    const file = join(modelDir, 'textcat.json');
    const text = fs.readFileSync(file, 'utf8');
    // The same manifest with a 100 MiB field no UI reads, written in pieces (no 100 MiB string on the host).
    const fd = fs.openSync(file, 'w');
    fs.writeSync(fd, `${text.slice(0, -1)},"padding":"`);
    const piece = 'x'.repeat(2 ** 20);
    for (let i = 0; i < 100; i++) fs.writeSync(fd, piece);
    fs.writeSync(fd, '"}');
    fs.closeSync(fd);
    assert.ok(fs.statSync(file).size > 100 * 2 ** 20);
    const heapBefore = process.memoryUsage().heapUsed;
    const { stallMs } = await longestStall(() => api.model.reload());
    const heapGrowth = process.memoryUsage().heapUsed - heapBefore;
    report('100 MiB manifest', stallMs, heapGrowth);
    assert.ok(stallMs < 1000, `the host's thread stalled ${stallMs.toFixed(0)} ms`);
    assert.ok(heapGrowth < 64 * 2 ** 20, 'the host heap did not take the manifest');
    assert.ok(api.model.manifest, 'a large but sound manifest is still a model');
  });
});

function editJson(file: string, edit: (json: Record<string, unknown>) => void): void {
  const json = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  edit(json);
  fs.writeFileSync(file, JSON.stringify(json));
}
