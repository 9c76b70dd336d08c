// The CLI's npm package. The root package.json is the VS Code extension's manifest (packaged by vsce through
// .vscodeignore, which refuses a `files` list beside it), so the CLI has its own manifest in cli/, whose
// `files` list is exactly what the CLI runs. This script copies those files there from a build (git-ignored
// copies) and packs them:
//   node scripts/pack-cli.mjs                 build, copy, npm pack into cli/ (npm run pack:cli)
//   node scripts/pack-cli.mjs --stage         build and copy only (cli/'s prepack: `npm publish` in cli/)
//   node scripts/pack-cli.mjs --sync-version  cli/package.json takes the root's version (npm version runs it)
// --no-build uses dist/ as it is (the unit test, which must not rebuild under other tests); --out <dir> packs there.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI_DIR = join(ROOT, 'cli');
/** Written in cli/ itself and committed; every other entry of `files` is copied from the root. */
const COMMITTED = new Set(['README.md']);

const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

function run(command, args, cwd) {
  // npm is npm.cmd on Windows, which only a shell starts.
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], shell: process.platform === 'win32' });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
  return r.stdout;
}

/** The CLI prints the root's version (inlined at build time), so the package must carry the same one. */
export function checkVersions() {
  const root = readJson(join(ROOT, 'package.json')).version;
  const cli = readJson(join(CLI_DIR, 'package.json')).version;
  if (root !== cli) {
    throw new Error(`cli/package.json is version ${cli} but package.json is ${root}: run node scripts/pack-cli.mjs --sync-version`);
  }
  return root;
}

export function syncVersion() {
  const file = join(CLI_DIR, 'package.json');
  const manifest = readJson(file);
  manifest.version = readJson(join(ROOT, 'package.json')).version;
  writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
}

/** Copies the files cli/package.json lists from the build into cli/. A source map is not shipped, so its link goes. */
export function stage({ build = true } = {}) {
  checkVersions();
  if (build) run('npm', ['run', 'build'], ROOT);
  for (const file of readJson(join(CLI_DIR, 'package.json')).files) {
    if (COMMITTED.has(file)) continue;
    const from = join(ROOT, file);
    if (!existsSync(from)) throw new Error(`${file} is missing: run npm run build`);
    const to = join(CLI_DIR, file);
    mkdirSync(dirname(to), { recursive: true });
    rmSync(to, { force: true }); // written afresh: plain file modes (npm marks the bin executable on install)
    const bytes = readFileSync(from);
    writeFileSync(to, file.endsWith('.js') ? bytes.toString('utf8').replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n') : bytes);
  }
}

/** Stages, then `npm pack` in cli/; returns the tarball's path. */
export function pack({ build = true, destination = CLI_DIR } = {}) {
  stage({ build });
  mkdirSync(destination, { recursive: true });
  // The scripts ran above; cli/'s prepack would build a second time.
  const [result] = JSON.parse(run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', destination], CLI_DIR));
  return join(destination, result.filename);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const build = !args.includes('--no-build');
  const out = args.includes('--out') ? resolve(args[args.indexOf('--out') + 1]) : undefined;
  try {
    if (args.includes('--sync-version')) syncVersion();
    else if (args.includes('--stage')) stage({ build });
    else console.log(pack({ build, destination: out }));
  } catch (error) {
    console.error(`pack-cli: ${error.message}`);
    process.exit(1);
  }
}
