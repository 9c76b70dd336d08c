// `textcat train` from a pipe: standard input (`-`), a FIFO and bash's process substitution are read once, in
// the pass that parses them and hashes them, so the model records the sha256 of the bytes that came through.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const CLI = path.resolve(__dirname, '../../dist/cli.js');
const SMALL = ['--epochs', '1', '--embedding-dim', '8', '--hidden-units', '8', '--quiet', '--json'];

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'textcat-pipe-'));
const rows = ['text,label'];
for (let i = 0; i < 60; i++) rows.push(i % 2 ? `great lovely day number ${i},good` : `awful broken thing number ${i},bad`);
const CSV = `${rows.join('\n')}\n`;
const CSV_SHA256 = createHash('sha256').update(CSV).digest('hex');
const csvFile = path.join(dir, 'data.csv');
fs.writeFileSync(csvFile, CSV);

function recordedSha256(modelDir: string): string {
  const manifest = fs.readFileSync(path.join(modelDir, 'textcat.json'), 'utf8');
  return /"sha256":\s*"([0-9a-f]{64})"/.exec(manifest)?.[1] ?? '(none)';
}

describe('textcat train from a pipe', () => {
  it('reads standard input (-) with --format, and records the sha256 of what it read', () => {
    const out = path.join(dir, 'stdin');
    // Through bash: Node gives a spawned process's stdin as a socket, which /dev/stdin cannot open; a shell gives a pipe.
    const script = `cat "${csvFile}" | "${process.execPath}" "${CLI}" train - --format csv --out "${out}" ${SMALL.join(' ')}`;
    const r = spawnSync('bash', ['-c', script], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual((JSON.parse(r.stdout) as { labels: string[] }).labels, ['bad', 'good']);
    assert.equal(recordedSha256(out), CSV_SHA256);
  });

  it('refuses a pipe whose format is not known, with a usage message, before reading it', () => {
    const script = `cat "${csvFile}" | "${process.execPath}" "${CLI}" train - --out "${path.join(dir, 'none')}" ${SMALL.join(' ')}`;
    const r = spawnSync('bash', ['-c', script], { encoding: 'utf8' });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /is a pipe whose format is not known from its name; give it with --format/);
  });

  it('reads a FIFO named .csv (its format from its name)', async () => {
    const fifo = path.join(dir, 'fifo.csv');
    assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
    const out = path.join(dir, 'fifo');
    const child = spawn(process.execPath, [CLI, 'train', fifo, '--out', out, ...SMALL]);
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    fs.writeFileSync(fifo, CSV); // blocks until the CLI opens it for reading
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 0, stderr);
    assert.equal(recordedSha256(out), CSV_SHA256);
  });

  it('reads bash process substitution <(cat …) with --format', () => {
    const out = path.join(dir, 'substitution');
    const script = `"${process.execPath}" "${CLI}" train <(cat "${csvFile}") --format csv --out "${out}" ${SMALL.join(' ')}`;
    const r = spawnSync('bash', ['-c', script], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(recordedSha256(out), CSV_SHA256);
  });
});
