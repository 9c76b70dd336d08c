// The extension as a user gets it: `vsce package` (its vscode:prepublish builds first), code-server's
// --install-extension into the run's extensions folder, --list-extensions to see it listed, and a look at the
// installed folder: every file the extension loads at run time is there, and nothing of the sources. The UI
// tests then run against this installed copy (run.mjs), so "installed from a VSIX, the commands work" is what
// every UI step checks.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** What the extension reads or loads at run time, relative to its folder (package.json names more, read below). */
const LOADED_AT_RUN_TIME = [
  'dist/extension.js',
  'dist/worker.js',
  'dist/gradient-worker.js',
  'dist/tfjs-backend-wasm.wasm',
  'dist/tfjs-backend-wasm-simd.wasm',
  'dist/webview.js',
  'dist/webview.css',
  'media/metrics.css',
  'package.nls.json',
  'package.nls.zh-cn.json',
  'examples/tickets/train.csv',
  'examples/tickets/test.csv',
  'examples/tickets/sample.txt',
];
/** Never in the package: sources, tests, dependencies, source maps, the CLI (it ships through npm). */
const NEVER = [/^src\//, /^test\//, /^node_modules\//, /^dist\/test\//, /\.map$/, /^dist\/cli\.js$/, /^\.vscode-test/];

function run(command, args, options) {
  const r = spawnSync(command, args, { encoding: 'utf8', ...options });
  if (r.status !== 0) throw new Error(`${[command, ...args].join(' ')} failed (exit ${r.status ?? r.signal}):\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

/** The files package.json itself points at: main, icon, l10n, the view icons, the walkthrough's media. */
function namedByManifest(pkg) {
  const views = Object.values(pkg.contributes.views ?? {}).flat();
  return [
    pkg.main.replace(/^\.\//, ''),
    pkg.icon,
    `${pkg.l10n.replace(/^\.\//, '')}/bundle.l10n.zh-cn.json`,
    ...pkg.contributes.viewsContainers.activitybar.map((c) => c.icon),
    ...views.map((v) => v.icon).filter(Boolean),
    ...pkg.contributes.walkthroughs.flatMap((w) => w.steps.map((s) => s.media.markdown)),
  ];
}

function filesUnder(dir) {
  return readdirSync(dir, { recursive: true })
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile())
    .map((f) => relative(dir, f));
}

/** Packages, installs and checks the extension; returns the installed folder and the package's size. */
export function packageAndInstall({ root, node, entry, dirs, env }) {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const vsix = join(dirs.root, `${pkg.name}-${pkg.version}.vsix`);
  run(process.execPath, [join(root, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--no-dependencies', '--out', vsix], {
    cwd: root,
    env,
  });
  const cli = [entry, '--extensions-dir', dirs.extensions, '--user-data-dir', dirs.userData];
  const installed = run(node, [...cli, '--install-extension', vsix], { env });
  if (!/successfully installed/.test(installed)) throw new Error(`code-server did not install ${vsix}:\n${installed}`);
  const id = `${pkg.publisher}.${pkg.name}`;
  const listed = run(node, [...cli, '--list-extensions', '--show-versions'], { env });
  if (!listed.split('\n').includes(`${id}@${pkg.version}`)) throw new Error(`${id}@${pkg.version} is not listed:\n${listed}`);
  const folder = join(dirs.extensions, `${id}-${pkg.version}`);
  const files = new Set(filesUnder(folder));
  const missing = [...LOADED_AT_RUN_TIME, ...namedByManifest(pkg)].filter((f) => !files.has(f));
  if (missing.length) throw new Error(`the installed extension lacks ${missing.join(', ')}`);
  const unwanted = [...files].filter((f) => NEVER.some((re) => re.test(f)));
  if (unwanted.length) throw new Error(`the package holds ${unwanted.join(', ')}`);
  return { folder, files: files.size, bytes: statSync(vsix).size };
}
