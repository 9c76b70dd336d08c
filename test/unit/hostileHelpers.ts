// Shared by the hostile-input tests: the built CLI in a child process, the checks every hostile case makes
// (exit code, a message naming the path, no stack trace) and snapshots that tell whether any byte changed.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const CLI = path.resolve(__dirname, '../../dist/cli.js');
/** A model small enough that training takes a fraction of a second. */
export const SMALL = ['--hidden-units', '8', '--embedding-dim', '8', '--epochs', '1', '--quiet'];

export interface Run {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Peak resident memory of the child in bytes, when measured (`measureMemory`). */
  maxRss?: number;
  seconds: number;
}

export function assertBuilt(): void {
  assert.ok(fs.existsSync(CLI), `${CLI} is missing: run \`npm run build\` before these tests (npm test does it)`);
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `textcat-${prefix}-`));
}

/** Preloaded into the child: writes its peak RSS (bytes) where TEXTCAT_TEST_RSS_FILE says, as it exits. */
const RSS_REPORTER = `process.on('exit', () => require('fs').writeFileSync(process.env.TEXTCAT_TEST_RSS_FILE, String(process.resourceUsage().maxRSS * 1024)));`;

export interface CliOptions {
  cwd: string;
  input?: string | Buffer;
  measureMemory?: boolean;
  /** A shell command line to run instead of `node cli.js …` directly (ulimit, unshare); `$TEXTCAT` expands to it. */
  shell?: string;
  uid?: number;
  timeoutMs?: number;
  stdout?: SpawnSyncOptions['stdio'];
}

export function textcat(args: readonly string[], options: CliOptions): Run {
  const env: NodeJS.ProcessEnv = { ...process.env };
  const nodeArgs: string[] = [];
  let rssFile: string | undefined;
  if (options.measureMemory) {
    rssFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'textcat-rss-')), 'rss');
    const reporter = path.join(path.dirname(rssFile), 'reporter.cjs');
    fs.writeFileSync(reporter, RSS_REPORTER);
    nodeArgs.push('--require', reporter);
    env.TEXTCAT_TEST_RSS_FILE = rssFile;
  }
  const command = [process.execPath, ...nodeArgs, CLI, ...args];
  const started = performance.now();
  const r = options.shell
    ? spawnSync('/bin/sh', ['-c', options.shell.replaceAll('$TEXTCAT', command.map(shellQuote).join(' '))], spawnOptions(options, env))
    : spawnSync(command[0], command.slice(1), spawnOptions(options, env));
  const seconds = (performance.now() - started) / 1000;
  if (r.error) throw r.error;
  const maxRss = rssFile && fs.existsSync(rssFile) ? Number(fs.readFileSync(rssFile, 'utf8')) : undefined;
  if (rssFile) fs.rmSync(path.dirname(rssFile), { recursive: true, force: true });
  return { status: r.status, signal: r.signal, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? ''), maxRss, seconds };
}

function spawnOptions(options: CliOptions, env: NodeJS.ProcessEnv): SpawnSyncOptions {
  return {
    cwd: options.cwd,
    input: options.input ?? '',
    encoding: 'utf8',
    env,
    timeout: options.timeoutMs ?? 120_000,
    uid: options.uid,
    gid: options.uid,
    maxBuffer: 64 * 2 ** 20,
  };
}

/** Starts the CLI without waiting (for the signal tests). */
export function startTextcat(args: readonly string[], cwd: string) {
  return spawn(process.execPath, [CLI, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
}

export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * The checks every hostile case makes: the exit code, one `textcat:` message that matches `message` (which
 * should name the path), and nothing that looks like a stack trace or an internal error.
 */
export function expectFailure(r: Run, code: number, message: RegExp): void {
  const shown = `\n--- stdout\n${r.stdout.slice(0, 2000)}\n--- stderr\n${r.stderr.slice(0, 4000)}`;
  assert.equal(r.status, code, `expected exit ${code}, got ${r.status} (signal ${r.signal})${shown}`);
  assert.match(r.stderr, /^textcat: /, `stderr does not start with "textcat: "${shown}`);
  assert.match(r.stderr, message, shown);
  assertNoStack(r);
}

export function assertNoStack(r: Run): void {
  assert.doesNotMatch(r.stderr, /\n\s+at .+[:(]\d+/, `a stack trace:\n${r.stderr}`);
  assert.doesNotMatch(r.stderr, /internal error/, r.stderr);
}

/** Path → sha256 of every file (and link target of every link) under `folder`, so a test can tell whether anything changed. */
export function snapshot(folder: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!fs.existsSync(folder)) return out;
  for (const entry of fs.readdirSync(folder, { recursive: true, withFileTypes: true })) {
    const file = path.join(entry.parentPath, entry.name);
    const name = path.relative(folder, file);
    if (entry.isSymbolicLink()) out[name] = `-> ${fs.readlinkSync(file)}`;
    else if (entry.isFile()) out[name] = createHash('sha256').update(fs.readFileSync(file)).digest('hex');
    else if (entry.isDirectory()) out[name] = 'dir';
    else out[name] = 'special';
  }
  return out;
}

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const POSITIVE = [
  'good great happy',
  'great wonderful day',
  'happy lovely good',
  'wonderful great fun',
  'lovely happy smile',
  'good fun day',
];
const NEGATIVE = ['bad awful sad', 'awful terrible day', 'sad horrible bad', 'terrible awful pain', 'horrible sad cry', 'bad pain day'];

/** A small two-class CSV (the labels may be hostile names). */
export function trainingCsv(labels: [string, string] = ['pos', 'neg'], repeat = 2): string {
  const quote = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const rows: string[] = [];
  for (let r = 0; r < repeat; r++) {
    rows.push(...POSITIVE.map((t) => `${t},${quote(labels[0])}`), ...NEGATIVE.map((t) => `${t},${quote(labels[1])}`));
  }
  return `text,label\n${rows.join('\n')}\n`;
}

/** Folders named like a save's leftovers beside `modelDir`. */
export function leftovers(modelDir: string): string[] {
  const prefix = `${path.basename(modelDir)}.`;
  return fs
    .readdirSync(path.dirname(modelDir))
    .filter((name) => name.startsWith(prefix) && /^(tmp|old)-/.test(name.slice(prefix.length)))
    .sort();
}

/** True when this machine lets an unprivileged process make a user + mount namespace (for EROFS and ENOSPC tests). */
export function canUnshare(): boolean {
  const r = spawnSync('unshare', ['-r', '-m', 'true'], { stdio: 'ignore' });
  return r.status === 0;
}
