// Data for bench:e2e, written by this project (no third-party data): a labeled training set of service log
// lines and a log to label whose lines are all distinct — ids, numbers, addresses and durations vary as in a
// real log — so no cache, dictionary or repeated line makes prediction look faster than it is.
import * as fs from 'node:fs';
import { createRng, type Rng } from '../src/core/random';

/** The classes of the training set: what a person triaging a service log sorts its lines into. */
const TEMPLATES: Record<string, readonly string[]> = {
  auth: [
    'user {user} logged in from {ip} session {hex}',
    'authentication failed for user {user} from {ip} after {n} attempts',
    'token {hex} expired for client {user} refreshing',
    'password reset requested for {user}@{host} request {id}',
    'oauth callback from {host} accepted state {hex}',
  ],
  database: [
    'query on table {table} took {ms} ms rows {n}',
    'connection pool {table} exhausted {n} waiting clients',
    'slow query detected in {table} duration {ms} ms plan {hex}',
    'deadlock on {table} transaction {id} rolled back',
    'replica {host} lag {ms} ms behind primary',
  ],
  network: [
    'connection to {ip}:{port} timed out after {ms} ms',
    'upstream {host} returned 502 for request {id}',
    'tls handshake with {ip} failed cipher mismatch',
    'dns lookup for {host} took {ms} ms',
    'socket {port} reset by peer {ip} retry {n}',
  ],
  storage: [
    'disk /dev/sd{letter} usage at {pct}% on {host}',
    'wrote {n} bytes to /var/data/{table}/{hex}.bin in {ms} ms',
    'checksum mismatch on block {id} of volume {hex}',
    'snapshot {hex} of volume {table} completed in {ms} ms',
    'cache eviction freed {n} entries on {host}',
  ],
  scheduler: [
    'job {id} scheduled on worker {host} priority {n}',
    'cron task {table} finished in {ms} ms exit {n}',
    'queue {table} depth {n} consumers {port}',
    'job {id} retried attempt {n} of 5 backoff {ms} ms',
    'worker {host} heartbeat missed for {ms} ms',
  ],
};

export const E2E_CLASSES = Object.keys(TEMPLATES);

const WORDS = ['alpha', 'orders', 'billing', 'users', 'events', 'metrics', 'audit', 'sessions', 'inventory', 'payments'];

function fill(template: string, rng: Rng): string {
  const int = (n: number) => Math.floor(rng() * n);
  return template.replace(/\{(\w+)\}/g, (_, slot: string) => {
    switch (slot) {
      case 'user':
        return `${WORDS[int(WORDS.length)]}${int(100000)}`;
      case 'ip':
        return `10.${int(256)}.${int(256)}.${int(256)}`;
      case 'hex':
        return int(0x7fffffff).toString(16).padStart(8, '0') + int(0xffff).toString(16);
      case 'host':
        return `node-${int(500)}.${WORDS[int(WORDS.length)]}.internal`;
      case 'table':
        return `${WORDS[int(WORDS.length)]}_${int(50)}`;
      case 'port':
        return String(1024 + int(60000));
      case 'letter':
        return 'abcdefgh'[int(8)];
      case 'pct':
        return String(50 + int(50));
      case 'ms':
        return String(int(100000) / 10);
      default:
        return String(int(1000000));
    }
  });
}

/** `rows` labeled lines, shuffled, as `text,label` CSV (no field needs quoting: no comma or quote in any template). */
export function writeTrainingCsv(file: string, rows: number, seed: number): void {
  const rng = createRng(seed);
  const lines = ['text,label'];
  for (let i = 0; i < rows; i++) {
    const label = E2E_CLASSES[Math.floor(rng() * E2E_CLASSES.length)];
    const templates = TEMPLATES[label];
    lines.push(`${fill(templates[Math.floor(rng() * templates.length)], rng)},${label}`);
  }
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
}

/** The same rows in fastText's format, for fastText's own training. */
export function csvToFastText(csv: string, out: string): void {
  const rows = fs.readFileSync(csv, 'utf8').trimEnd().split('\n').slice(1);
  fs.writeFileSync(
    out,
    `${rows.map((row) => `__label__${row.slice(row.lastIndexOf(',') + 1)} ${row.slice(0, row.lastIndexOf(','))}`).join('\n')}\n`,
  );
}

/** A log of `lines` distinct lines (a line number in each makes every one unique), timestamped like a real one. */
export function writeLog(file: string, lines: number, seed: number): void {
  const rng = createRng(seed);
  const out = fs.openSync(file, 'w');
  const all = Object.values(TEMPLATES).flat();
  let chunk: string[] = [];
  const start = Date.UTC(2026, 0, 1);
  for (let i = 0; i < lines; i++) {
    const time = new Date(start + i * 37).toISOString();
    chunk.push(`${time} [${i}] ${fill(all[Math.floor(rng() * all.length)], rng)}`);
    if (chunk.length === 10000) {
      fs.writeSync(out, `${chunk.join('\n')}\n`);
      chunk = [];
    }
  }
  if (chunk.length) fs.writeSync(out, `${chunk.join('\n')}\n`);
  fs.closeSync(out);
}
