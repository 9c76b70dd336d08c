// `npm run test:electron`: the same extension-host suite (dist/test/suite/*.test.js, built from test/e2e/suite)
// in VS Code desktop through @vscode/test-cli and @vscode/test-electron, which download VS Code: it needs internet.
// Offline (CI here), `npm run test:e2e` runs that suite in code-server instead (test/e2e/run.mjs).
import { defineConfig } from '@vscode/test-cli';
import { cpSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// A fresh copy of the fixture workspace for each run, inside the repository's git-ignored temp folder.
const fixture = fileURLToPath(new URL('./test/e2e/fixture', import.meta.url));
const workspace = fileURLToPath(new URL('./.tmp/electron-workspace', import.meta.url));
rmSync(workspace, { recursive: true, force: true });
cpSync(fixture, workspace, { recursive: true });

export default defineConfig({
  label: 'e2e',
  files: 'dist/test/suite/*.test.js',
  workspaceFolder: workspace,
  launchArgs: ['--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
  mocha: { ui: 'tdd', timeout: 30_000 },
});
