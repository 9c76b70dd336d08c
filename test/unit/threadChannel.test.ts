// The request/reply channel shared by the gradient helpers and the extension's worker client, against a small
// worker written here: it echoes `steps` progress replies then a result, exits on request, or never answers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { ThreadChannel } from '../../src/core/threadChannel';

type Request = { id: number; type: 'count'; steps: number } | { id: number; type: 'exit' } | { id: number; type: 'silent' };
type Reply = { id: number; type: 'step'; n: number } | { id: number; type: 'done'; total: number };

const ECHO = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', (m) => {
  if (m.type === 'exit') process.exit(3);
  if (m.type === 'silent') return;
  for (let n = 1; n <= m.steps; n++) parentPort.postMessage({ id: m.id, type: 'step', n });
  parentPort.postMessage({ id: m.id, type: 'done', total: m.steps });
});`;

function channel(onClose?: (e: Error) => void): ThreadChannel<Request, Reply> {
  return new ThreadChannel(new Worker(ECHO, { eval: true }), 'echo thread', onClose);
}

test('a request sees each of its replies, and the one it settles on resolves it; requests do not mix', async () => {
  const c = channel();
  const seen: number[] = [];
  const count = (id: number, steps: number) =>
    c.request<number>({ id, type: 'count', steps }, (reply, settle) => {
      if (reply.type === 'step') seen.push(id * 100 + reply.n);
      else settle.resolve(reply.total);
    });
  assert.deepEqual(await Promise.all([count(1, 3), count(2, 2)]), [3, 2]);
  assert.deepEqual(
    seen.filter((s) => s < 200),
    [101, 102, 103],
  );
  assert.deepEqual(
    seen.filter((s) => s >= 200),
    [201, 202],
  );
  await c.close(new Error('done'));
});

test('a thread that exits rejects what was pending, tells onClose, and refuses later requests', async () => {
  let closed: Error | undefined;
  const c = channel((e) => (closed = e));
  const pending = c.request<void>({ id: 1, type: 'silent' }, () => undefined);
  c.post({ id: 2, type: 'exit' });
  await assert.rejects(pending, /echo thread exited with code 3/);
  assert.match(closed?.message ?? '', /exited with code 3/);
  await assert.rejects(
    c.request<void>({ id: 3, type: 'count', steps: 1 }, () => undefined),
    /exited with code 3/,
  );
});

test('abandon rejects a request at once and drops its late replies; close rejects the rest with its error', async () => {
  const c = channel();
  const abandoned = c.request<number>({ id: 1, type: 'count', steps: 50 }, (reply, settle) => {
    if (reply.type === 'done') settle.resolve(reply.total);
  });
  c.abandon(1, new Error('not needed any more'));
  await assert.rejects(abandoned, /not needed any more/);
  // The channel still serves other requests.
  const next = await c.request<number>({ id: 2, type: 'count', steps: 1 }, (reply, settle) => {
    if (reply.type === 'done') settle.resolve(reply.total);
  });
  assert.equal(next, 1);
  const silent = c.request<void>({ id: 3, type: 'silent' }, () => undefined);
  const rejected = assert.rejects(silent, /stopped on purpose/);
  await c.close(new Error('stopped on purpose'));
  await rejected;
});
