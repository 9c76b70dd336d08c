// Mocha entry point loaded by the extension host under code-server (extensionTestsPath, see test/e2e/run.mjs).
// esbuild bundles it and each *.test.ts beside it into dist/test/suite/; vscode and mocha stay external.
// @vscode/test-cli (.vscode-test.mjs) loads the same *.test.js bundles with its own runner instead.
import Mocha from 'mocha';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import * as vscode from 'vscode';
import { BOTH_TRUST_STATES, RESTRICTED_WORKSPACE } from './helpers';

/** Keep in step with test/e2e/run.mjs, which picks mocha's lines out of the workbench log by it. */
const MOCHA_LINE_MARKER = '[mocha] ';

export async function run(): Promise<void> {
  // Under code-server, mocha's lines reach the launcher through the workbench's log (codeAutomationLog),
  // mixed with the workbench's own messages; the marker tells them apart.
  if (vscode.env.uiKind === vscode.UIKind.Web) {
    const log = Mocha.reporters.Base.consoleLog;
    Mocha.reporters.Base.consoleLog = (...args: unknown[]) => log(MOCHA_LINE_MARKER + format(...args));
  }
  const mocha = new Mocha({ ui: 'tdd', reporter: 'spec', color: false, timeout: 30_000 });
  // TEXTCAT_E2E_GREP (see test/e2e/run.mjs) reaches the extension host through code-server's environment.
  if (process.env.TEXTCAT_E2E_GREP) mocha.grep(process.env.TEXTCAT_E2E_GREP);
  // The Restricted Mode pass (run.mjs opens a folder never trusted): the tests written for both trust states.
  else if (RESTRICTED_WORKSPACE.test(vscode.workspace.workspaceFolders?.[0]?.name ?? '')) mocha.grep(BOTH_TRUST_STATES);
  const files = readdirSync(__dirname)
    .filter((f) => f.endsWith('.test.js'))
    .sort();
  if (files.length === 0) throw new Error(`no *.test.js bundles in ${__dirname}: run \`npm run build\``);
  for (const file of files) mocha.addFile(join(__dirname, file));
  const failures = await new Promise<number>((resolve) => mocha.run(resolve));
  if (failures > 0) throw new Error(`${failures} extension-host test(s) failed`);
}
