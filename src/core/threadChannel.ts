// Requests to a worker thread, each answered by replies that repeat its id: the one piece of RPC that the
// training thread's gradient helpers (core/model/parallel.ts) and the extension's worker (src/worker/client.ts)
// share. A request may get several replies (progress before a result); its handler decides which one settles it.
import type { TransferListItem, Worker } from 'node:worker_threads';

export interface Settle<T> {
  resolve(value: T): void;
  reject(error: Error): void;
}

interface Pending<Reply> {
  onReply(reply: Reply): void;
  reject(error: Error): void;
}

export class ThreadChannel<Request extends { id: number }, Reply extends { id: number }> {
  private readonly pending = new Map<number, Pending<Reply>>();
  private closedBy: Error | undefined;

  /**
   * `name` goes into the error that rejects every pending request when the thread crashes or exits; `onClose`
   * hears of it too (the extension's client starts a fresh worker on its next request).
   */
  constructor(
    private readonly worker: Worker,
    name: string,
    private readonly onClose?: (error: Error) => void,
  ) {
    worker.on('message', (reply: Reply) => this.pending.get(reply.id)?.onReply(reply));
    worker.on('error', (error) => void this.close(new Error(`${name} crashed: ${error.message}`)));
    worker.on('exit', (code) => void this.close(new Error(`${name} exited with code ${code}`)));
    worker.unref();
  }

  /**
   * Sends `request`; `onReply` sees each of its replies and settles the promise. A thread with a request in
   * flight keeps the process alive and an idle one does not, so a CLI exits when its work is done, yet not
   * while it waits for an answer. `transfer`: arrays of the request's that move to the thread instead of a copy.
   */
  request<T>(request: Request, onReply: (reply: Reply, settle: Settle<T>) => void, transfer: readonly TransferListItem[] = []): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.closedBy) return reject(this.closedBy);
      const once = (action: () => void) => {
        if (this.forget(request.id)) action();
      };
      const settle: Settle<T> = { resolve: (value) => once(() => resolve(value)), reject: (error) => once(() => reject(error)) };
      this.pending.set(request.id, { onReply: (reply) => onReply(reply, settle), reject: (error) => settle.reject(error) });
      this.worker.ref();
      this.worker.postMessage(request, [...transfer]);
    });
  }

  /** A message that gets no reply of its own (a cancel). */
  post(message: Request): void {
    if (!this.closedBy) this.worker.postMessage(message);
  }

  /** Rejects a pending request now, so its caller moves on; replies that still come for it are dropped. */
  abandon(id: number, error: Error): void {
    this.pending.get(id)?.reject(error);
  }

  /** Rejects every pending request with `error` and stops the thread; later requests are rejected with it too. */
  async close(error: Error): Promise<void> {
    if (this.closedBy) return;
    this.closedBy = error;
    for (const request of [...this.pending.values()]) request.reject(error);
    this.onClose?.(error);
    await this.worker.terminate();
  }

  /** True when the request was still pending (so it settles once). */
  private forget(id: number): boolean {
    const known = this.pending.delete(id);
    if (this.pending.size === 0) this.worker.unref();
    return known;
  }
}

/**
 * The buffers of `arrays` that each holds whole, for a reply's transfer list: shared memory, and a view into
 * memory other arrays use, are left to be copied (or shared) instead.
 */
export function ownBuffers(arrays: readonly ArrayBufferView[]): ArrayBuffer[] {
  const whole = arrays.filter((a) => a.buffer instanceof ArrayBuffer && a.byteOffset === 0 && a.byteLength === a.buffer.byteLength);
  return [...new Set(whole.map((a) => a.buffer as ArrayBuffer))];
}
