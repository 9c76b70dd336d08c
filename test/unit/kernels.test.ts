import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

/** scripts/build-kernels.mjs (plain JavaScript). */
interface BuildKernels {
  compileKernel: (file: string) => Promise<Buffer>;
  kernelModuleSource: (name: string, file: string, bytes: Buffer) => string;
  kernelSources: () => [string, string][];
  KERNEL_DIR: string;
}

// The committed .wasm.ts modules must be what their .wat / .wat.mjs sources compile to today.
test('generated kernel modules match their sources', async () => {
  const { compileKernel, kernelModuleSource, kernelSources, KERNEL_DIR } = (await import(
    pathToFileURL(path.resolve(__dirname, '../../scripts/build-kernels.mjs')).href
  )) as BuildKernels;
  const sources = kernelSources();
  assert.ok(sources.length > 0);
  for (const [name, file] of sources) {
    const expected = kernelModuleSource(name, file, await compileKernel(file));
    assert.equal(
      fs.readFileSync(path.join(KERNEL_DIR, `${name}.wasm.ts`), 'utf8'),
      expected,
      `${name}.wasm.ts is stale: run npm run build:kernels`,
    );
  }
});
