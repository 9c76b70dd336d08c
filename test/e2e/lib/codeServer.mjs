// Starts code-server in its own process group on a free local port, and ends that whole group:
// a file-watcher child outlives a plain SIGTERM to the main process.
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * @param {{node: string, entry: string, dirs: Record<string, string>, env: NodeJS.ProcessEnv, logFile: string}} o
 */
export async function startCodeServer({ node, entry, dirs, env, logFile }) {
  const port = await freePort();
  const config = join(dirs.root, 'code-server.yaml');
  writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const args = [
    entry,
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--auth',
    'none',
    '--config',
    config,
    '--user-data-dir',
    dirs.userData,
    '--extensions-dir',
    dirs.extensions,
    '--disable-telemetry',
    '--disable-update-check',
    // Workspace Trust stays available: the user settings turn it off for most windows and on for the Restricted
    // Mode ones (run.mjs, writeUserSettings).
    '--disable-getting-started-override',
    '--ignore-last-opened',
    // Without the smoke-test driver the workbench ignores extensionTestsPath in the payload.
    '--vscode-option',
    'enable-smoke-test-driver',
  ];
  const log = openSync(logFile, 'a');
  const child = spawn(node, args, { env, detached: true, stdio: ['ignore', log, log] });
  closeSync(log);
  let exited = null;
  child.on('exit', (code, signal) => (exited = { code, signal }));

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new Error(`code-server exited during start (${exited.code ?? exited.signal}); see ${logFile}`);
    if (Date.now() > deadline) {
      await stopProcessGroup(child);
      throw new Error(`code-server did not answer on ${url} within 60 s; see ${logFile}`);
    }
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  return { child, port, url, logFile, isRunning: () => !exited };
}

/**
 * Waits until every extension host that code-server launched has exited (its log says so), so that they
 * end cleanly and flush their logs before the group is signalled. Gives up quietly after timeoutMs.
 */
export async function waitForExtensionHostsToExit(logFile, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const log = readFileSync(logFile, 'utf8');
    const launched = log.match(/Launched Extension Host Process/g)?.length ?? 0;
    const exited = log.match(/Extension Host Process exited/g)?.length ?? 0;
    if (exited >= launched || Date.now() > deadline) return;
    await sleep(100);
  }
}

/** SIGTERM to the whole group, then SIGKILL to whatever is left after a grace period. */
export async function stopProcessGroup(child, graceMs = 5000) {
  if (!child?.pid) return;
  const group = -child.pid;
  if (!signalGroup(group, 'SIGTERM')) return;
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    await sleep(100);
    if (!signalGroup(group, 0)) return;
  }
  signalGroup(group, 'SIGKILL');
  for (let i = 0; i < 50 && signalGroup(group, 0); i++) await sleep(100);
}

/** Sends a signal to a process group; false when the group no longer exists. */
function signalGroup(group, signal) {
  try {
    process.kill(group, signal);
    return true;
  } catch (e) {
    if (e.code === 'ESRCH') return false;
    throw e;
  }
}
