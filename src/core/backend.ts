// Starts TensorFlow.js, which Textcat only uses to turn its weights into a stock tfjs layers model and back
// (model/layers.ts, modelStore.ts): training and prediction run in our own wasm kernel (model/kernel.ts). The
// wasm backend needs no native build (tfjs-node cannot be installed offline).
import * as tf from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as fs from 'node:fs';
import * as path from 'node:path';

let ready: Promise<void> | undefined;

/** The folder holding tfjs-backend-wasm*.wasm: next to the bundle in dist/, or in node_modules when run from source. */
function wasmFolder(): string {
  const candidates = [
    () => __dirname,
    () => path.resolve(__dirname, '..', '..', 'dist'),
    () => path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist'),
  ];
  for (const candidate of candidates) {
    try {
      const dir = candidate();
      if (fs.existsSync(path.join(dir, 'tfjs-backend-wasm-simd.wasm'))) return dir + path.sep;
    } catch {
      // not resolvable from here (e.g. a packaged extension has no node_modules): try the next place
    }
  }
  throw new Error('tfjs-backend-wasm binaries (tfjs-backend-wasm*.wasm) not found next to the bundle');
}

export function initBackend(): Promise<void> {
  ready ??= (async () => {
    // Threads need a blob: worker URL that Node refuses (ERR_WORKER_PATH); stay single-threaded.
    setWasmPaths(wasmFolder());
    if (!(await tf.setBackend('wasm'))) throw new Error('could not start the tfjs wasm backend');
    await tf.ready();
  })();
  return ready;
}

export { tf };
