// `npm run test:e2e`: the extension in a real VS Code, offline.
//   1. installs or reuses Node 24 and code-server under .vscode-test/ (see lib/install.mjs),
//   2. starts code-server on 127.0.0.1 in its own process group, and Debian chromium via playwright-core,
//   3. runs the mocha suite (test/e2e/suite, bundled to dist/test/suite/index.js) in the extension host,
//   4. packages the extension (vsce, after its vscode:prepublish build), installs the VSIX into code-server and
//      checks the installed files (lib/vsix.mjs),
//   5. runs the UI tests (uiTests.mjs) against that installed extension, saving a screenshot of each step under
//      test-results/e2e/.
// While iterating, TEXTCAT_E2E_ONLY=suite (or =ui, or =restricted for the Restricted Mode pass) runs one part only, TEXTCAT_E2E_GREP=<text> only the host
// tests whose title contains it, and TEXTCAT_E2E_FROM_SOURCE=1 gives the UI tests the extension from the
// repository instead of the VSIX (no packaging); npm test sets none.
// Everything temporary lives in .tmp/e2e-<pid>/ and is removed at the end, with every process started.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format } from 'node:util';
import { findChromium, launchBrowser, workbenchUrl } from './lib/browser.mjs';
import { startCodeServer, stopProcessGroup, waitForExtensionHostsToExit } from './lib/codeServer.mjs';
import { ensureCodeServer, ensureNode24 } from './lib/install.mjs';
import { packageAndInstall } from './lib/vsix.mjs';
import { runUiTests } from './uiTests.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');
const CACHE = join(ROOT, '.vscode-test');
const SUITE = join(ROOT, 'dist', 'test', 'suite', 'index.js');
const SCREENSHOTS = join(ROOT, 'test-results', 'e2e');
/** TEXTCAT_E2E_SUITE_TIMEOUT_S: longer, for a measurement that takes minutes (the fold probe, docs/performance.md). */
const SUITE_TIMEOUT_MS = Number(process.env.TEXTCAT_E2E_SUITE_TIMEOUT_S || 300) * 1000;
const RUN_TIMEOUT_MS = 20 * 60_000;
const ONLY = process.env.TEXTCAT_E2E_ONLY;
const FROM_SOURCE = process.env.TEXTCAT_E2E_FROM_SOURCE === '1';

const timings = [];
const cleanups = [];
let failed = false;

async function phase(name, fn) {
  console.log(`\n▶ ${name}`);
  const start = performance.now();
  try {
    return await fn();
  } finally {
    const seconds = (performance.now() - start) / 1000;
    timings.push([name, seconds]);
    console.log(`  (${name}: ${seconds.toFixed(1)} s)`);
  }
}

function makeDirs() {
  removeAbandonedRunFolders();
  const root = join(ROOT, '.tmp', `e2e-${process.pid}`);
  const dirs = { root };
  const names = {
    home: 'home',
    config: 'xdg-config',
    data: 'xdg-data',
    cache: 'xdg-cache',
    tmp: 'tmp',
    userData: 'user-data',
    extensions: 'extensions',
    profile: 'chromium-profile',
    suiteWorkspace: 'suite-workspace',
    // The hostile-repository tests again, in a folder VS Code opens in Restricted Mode (see runRestrictedSuitePhase).
    restrictedWorkspace: 'restricted-workspace',
    uiWorkspace: 'ui-workspace',
  };
  for (const [key, name] of Object.entries(names)) {
    dirs[key] = join(root, name);
    mkdirSync(dirs[key], { recursive: true });
  }
  return dirs;
}

/** A run killed outright (SIGKILL) cannot clean up: remove the folders of runs whose process is gone. */
function removeAbandonedRunFolders() {
  const tmp = join(ROOT, '.tmp');
  for (const name of existsSync(tmp) ? readdirSync(tmp) : []) {
    const pid = Number(/^e2e-(\d+)$/.exec(name)?.[1]);
    if (pid && !isAlive(pid)) rmSync(join(tmp, name), { recursive: true, force: true });
  }
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code !== 'ESRCH';
  }
}

// What `npm run` tells its script about itself. A nested npm would take it as its own: code-server's postinstall
// reads the Node version from npm_config_user_agent, and would see the outer npm's Node 20.
const NPM_RUN_VARIABLES =
  /^(npm_package_|npm_lifecycle_|npm_config_(user_agent|local_prefix)$|npm_(node_)?execpath$|npm_command$|NODE$|INIT_CWD$)/;

/** The environment of every child: no npm-run leftovers, and every XDG/TMP path inside the run's folder. */
function childEnv(dirs) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !NPM_RUN_VARIABLES.test(k)));
  return { ...env, TMPDIR: dirs.tmp, XDG_CONFIG_HOME: dirs.config, XDG_DATA_HOME: dirs.data, XDG_CACHE_HOME: dirs.cache };
}

function checkBundles() {
  const bundles = ['dist/extension.js', 'dist/webview.js', 'dist/test/suite/index.js'].map((b) => join(ROOT, b));
  const missing = bundles.filter((b) => !existsSync(b));
  if (missing.length) throw new Error(`missing ${missing.map((m) => relative(ROOT, m)).join(', ')}: run \`npm run build\` first`);
  const oldest = Math.min(...bundles.map((b) => statSync(b).mtimeMs));
  const newer = ['src/extension', 'src/webview', 'test/e2e/suite']
    .flatMap((d) => filesUnder(join(ROOT, d)))
    .filter((f) => statSync(f).mtimeMs > oldest);
  if (newer.length) console.warn(`  warning: sources newer than the bundles (${relative(ROOT, newer[0])}…): run \`npm run build\``);
}

function filesUnder(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true })
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile());
}

/**
 * `trust`: Workspace Trust on, with no prompt at startup, so that a folder never trusted before opens in Restricted
 * Mode (the restricted suite pass); otherwise off, as a user who trusts their own folders has it.
 */
function writeUserSettings(dirs, { trust = false } = {}) {
  // Keep the workbench quiet and the screenshots stable: no welcome page, tips, updates or AI prompts.
  const settings = {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'chat.disableAIFeatures': true,
    'security.workspace.trust.enabled': trust,
    'security.workspace.trust.startupPrompt': 'never',
    'security.workspace.trust.banner': 'always',
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'git.enabled': false,
    // The web workbench's own default is a light theme; the steps and their screenshots mean Dark Modern.
    'workbench.colorTheme': 'Default Dark Modern',
  };
  mkdirSync(join(dirs.userData, 'User'), { recursive: true });
  writeFileSync(join(dirs.userData, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
}

/** Keep in step with test/e2e/suite/index.ts, which marks mocha's lines with it. */
const MOCHA_LINE_MARKER = '[mocha] ';

/**
 * Opens the workbench with extensionTestsPath; resolves with mocha's exit code, mocha's lines and the
 * workbench's own log lines (both arrive through codeAutomationLog).
 */
async function runExtensionHostSuite({ browser, server, dirs, folder = dirs.suiteWorkspace }) {
  const page = await browser.newPage();
  const mocha = [];
  const workbench = [];
  const notificationLinks = [];
  await watchNotificationLinks(page, notificationLinks);
  let exit;
  const exited = new Promise((resolve) => (exit = resolve));
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    const text = format(...(Array.isArray(args) ? args : [args]));
    if (text.startsWith(MOCHA_LINE_MARKER)) mocha.push(text.slice(MOCHA_LINE_MARKER.length));
    else workbench.push(`[${type}] ${text}`);
  });
  await page.exposeFunction('codeAutomationExit', (code) => exit(code));
  page.on('crash', () => exit('crash'));
  // The workbench can take more than playwright's default 30 s to load on a loaded machine.
  await page.goto(workbenchUrl({ ...server, folder, extensionPath: ROOT, testsPath: SUITE }), { timeout: 120_000 });
  let timer;
  const timedOut = new Promise((resolve) => (timer = setTimeout(() => resolve('timeout'), SUITE_TIMEOUT_MS)));
  const code = await Promise.race([exited, timedOut]);
  clearTimeout(timer);
  await page.close();
  return { code, mocha, workbench, notificationLinks };
}

/**
 * What a person would see: every link VS Code renders inside a notification's message (it turns `[x](command:…)`
 * into one that runs the command), watched in the DOM for the whole run. Textcat's messages hold none of their
 * own, so any is a string from the workspace that was not made inert (extension/notify.ts).
 */
async function watchNotificationLinks(page, found) {
  await page.exposeFunction('textcatNotificationLink', (link) => found.push(link));
  await page.addInitScript(() => {
    const seen = new WeakSet();
    const scan = () => {
      for (const a of document.querySelectorAll('.notification-list-item-message a')) {
        if (seen.has(a)) continue;
        seen.add(a);
        const message = a.closest('.notification-list-item-message')?.textContent ?? '';
        window.textcatNotificationLink(`${a.getAttribute('href') ?? a.getAttribute('data-href') ?? '?'} in "${message}"`);
      }
    };
    const start = () => new window.MutationObserver(scan).observe(document.body, { childList: true, subtree: true });
    if (document.body) start();
    else document.addEventListener('DOMContentLoaded', start);
  });
}

const indent = (text) => text.replace(/^/gm, '  | ');

/** The extension host logs (one per window) and code-server's own output. */
function printServerLogs(dirs) {
  const logs = filesUnder(join(dirs.userData, 'logs'))
    .filter((f) => /exthost\.log$/i.test(f))
    .sort();
  logs.push(join(dirs.root, 'code-server.log'));
  for (const log of logs.filter((l) => existsSync(l))) {
    console.log(`\n----- ${relative(dirs.root, log)} -----\n${readFileSync(log, 'utf8').trimEnd()}\n----- end -----`);
  }
}

async function main() {
  const dirs = makeDirs();
  cleanups.push(() => {
    if (process.env.TEXTCAT_E2E_KEEP) console.log(`  kept ${relative(ROOT, dirs.root)} (TEXTCAT_E2E_KEEP)`);
    else rmSync(dirs.root, { recursive: true, force: true });
  });
  // Runs after code-server has stopped (cleanups run last-in first-out), when its logs are flushed.
  cleanups.push(() => failed && printServerLogs(dirs));
  const env = childEnv(dirs);
  checkBundles();
  // One copy of the fixture per window, so the UI tests start from a fresh workbench layout.
  for (const ws of [dirs.suiteWorkspace, dirs.restrictedWorkspace, dirs.uiWorkspace])
    cpSync(join(ROOT, 'test', 'e2e', 'fixture'), ws, { recursive: true });
  writeUserSettings(dirs);
  rmSync(SCREENSHOTS, { recursive: true, force: true });
  mkdirSync(SCREENSHOTS, { recursive: true });

  const node24 = await phase('Node 24', () => ensureNode24(CACHE, env));
  console.log(`  ${node24.installed ? 'installed' : 'reused'} ${relative(ROOT, node24.node)}`);
  const codeServer = await phase('code-server', () => ensureCodeServer(CACHE, node24.nodeDir, env));
  console.log(`  ${codeServer.installed ? 'installed' : 'reused'} code-server ${codeServer.version}`);
  const chromiumPath = findChromium();

  const runEnv = { ...env, HOME: dirs.home };
  // Before code-server starts, so that it finds the extension installed. The host suite's window loads the
  // repository's copy over it (extensionDevelopmentPath); the UI tests' window runs the installed one.
  const vsix =
    ONLY === 'suite' || ONLY === 'restricted' || FROM_SOURCE
      ? undefined
      : await phase('package and install the VSIX', () => {
          const installed = packageAndInstall({ root: ROOT, node: node24.node, entry: codeServer.entry, dirs, env: runEnv });
          console.log(
            `  installed ${relative(ROOT, installed.folder)}: ${installed.files} files, VSIX ${(installed.bytes / 1024).toFixed(0)} kB`,
          );
          return installed;
        });
  const server = await phase('start code-server', async () => {
    const s = await startCodeServer({
      node: node24.node,
      entry: codeServer.entry,
      dirs,
      env: runEnv,
      logFile: join(dirs.root, 'code-server.log'),
    });
    cleanups.push(async () => {
      await waitForExtensionHostsToExit(s.logFile);
      await stopProcessGroup(s.child);
    });
    console.log(`  listening on ${s.url} (process group ${s.child.pid})`);
    return s;
  });
  const browser = await phase('start chromium', async () => {
    const b = await launchBrowser({ executablePath: chromiumPath, profileDir: dirs.profile, env: runEnv });
    cleanups.push(() => b.close());
    return b;
  });

  if (ONLY !== 'ui' && ONLY !== 'restricted') await runSuitePhase({ browser, server, dirs });
  if (ONLY === undefined || ONLY === 'restricted') await runRestrictedSuitePhase({ browser, server, dirs });
  if (ONLY !== 'suite' && ONLY !== 'restricted') await runUiPhase({ browser, server, dirs, fromSource: !vsix });
  if (!server.isRunning()) {
    failed = true;
    console.error('  ✗ code-server stopped during the run');
  }
}

/**
 * The suite again in a folder VS Code has never trusted, with Workspace Trust on: Restricted Mode. The suite's
 * index.ts runs only the tests that hold in both trust states there (and one asserts the mode is real).
 */
async function runRestrictedSuitePhase({ browser, server, dirs }) {
  writeUserSettings(dirs, { trust: true });
  // Present before the window opens, so that activation itself meets it: a manifest of a million labels.
  const planted = join(dirs.restrictedWorkspace, '.textcat', 'model');
  mkdirSync(planted, { recursive: true });
  const labels = Array.from({ length: 1_000_000 }, (_, i) => `class ${i}`);
  writeFileSync(join(planted, 'textcat.json'), JSON.stringify({ formatVersion: 1, labels, shape: { numClasses: labels.length } }));
  try {
    await runSuitePhase({ browser, server, dirs, folder: dirs.restrictedWorkspace, name: 'extension-host suite in Restricted Mode' });
  } finally {
    writeUserSettings(dirs);
  }
}

async function runSuitePhase({ browser, server, dirs, folder, name = 'extension-host suite (mocha)' }) {
  const suite = await phase(name, () => runExtensionHostSuite({ browser, server, dirs, folder }));
  console.log(indent(suite.mocha.join('\n') || '(no output from mocha)'));
  if (suite.notificationLinks.length > 0) {
    failed = true;
    console.error(`  ✗ ${name}: a notification showed a link:\n${indent(suite.notificationLinks.join('\n'))}`);
  } else {
    console.log('  ✓ no notification showed a link');
  }
  if (suite.code !== 0) {
    failed = true;
    console.error(`  ✗ ${name}: ${suite.code === 'timeout' ? `no result within ${SUITE_TIMEOUT_MS / 1000} s` : `exit code ${suite.code}`}`);
    console.log(`\n----- workbench log -----\n${suite.workbench.join('\n')}\n----- end -----`);
  } else {
    console.log(`  ✓ ${name} passed`);
  }
}

async function runUiPhase({ browser, server, dirs, fromSource }) {
  const ui = await phase(`UI tests (playwright, the extension ${fromSource ? 'from the repository' : 'installed from the VSIX'})`, () =>
    runUiTests({
      browser,
      url: workbenchUrl({ ...server, folder: dirs.uiWorkspace, extensionPath: fromSource ? ROOT : undefined }),
      screenshots: SCREENSHOTS,
      workspace: dirs.uiWorkspace,
      context: {
        // For the Restricted Mode steps (80-restricted-mode): trust on or off for the next window, and a folder's URL.
        setTrust: (trust) => writeUserSettings(dirs, { trust }),
        urlFor: (folder) => workbenchUrl({ ...server, folder, extensionPath: fromSource ? ROOT : undefined }),
        scratch: dirs.root,
      },
    }),
  );
  if (ui.failures > 0) failed = true;
}

/** Undoes what main() set up, last first. A signal and main's own end may both ask: they share one run. */
let cleaning;
function cleanup() {
  cleaning ??= (async () => {
    while (cleanups.length) {
      try {
        await cleanups.pop()();
      } catch (e) {
        console.error(`  cleanup: ${e.message}`);
      }
    }
  })();
  return cleaning;
}

for (const [signal, code] of [
  ['SIGHUP', 129],
  ['SIGINT', 130],
  ['SIGTERM', 143],
]) {
  process.once(signal, async () => {
    console.error(`\n${signal}: cleaning up`);
    await cleanup();
    process.exit(code);
  });
}
const watchdog = setTimeout(async () => {
  console.error(`\nthe e2e run took more than ${RUN_TIMEOUT_MS / 60_000} minutes: stopping`);
  await cleanup();
  process.exit(1);
}, RUN_TIMEOUT_MS);

const started = performance.now();
try {
  await main();
} catch (e) {
  failed = true;
  console.error(`\n✗ ${e.stack ?? e}`);
} finally {
  await phase('cleanup', cleanup);
  clearTimeout(watchdog);
}
console.log('\nTimings:');
for (const [name, s] of timings) console.log(`  ${name.padEnd(32)} ${s.toFixed(1).padStart(6)} s`);
console.log(`  ${'total'.padEnd(32)} ${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s`);
console.log(failed ? '\ne2e: FAILED' : '\ne2e: passed');
process.exitCode = failed ? 1 : 0;
