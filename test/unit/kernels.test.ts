import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chooseKernelBuild, kernelBuild, relaxedSimdSupported } from '../../src/core/model/kernel';
import { TextcatError } from '../../src/core/types';

/** A kernel scripts/build-kernels.mjs builds (plain JavaScript). */
interface KernelBuildSpec {
  name: string;
  file: string;
  options?: Record<string, unknown>;
}

interface BuildKernels {
  compileKernel: (build: KernelBuildSpec) => Promise<Buffer>;
  kernelModuleSource: (build: KernelBuildSpec, bytes: Buffer) => string;
  kernelBuilds: () => Promise<KernelBuildSpec[]>;
  KERNEL_DIR: string;
}

const ROOT = path.resolve(__dirname, '../..');

// The committed .wasm.ts modules must be what their .wat / .wat.mjs sources compile to today.
test('generated kernel modules match their sources (the plain and the relaxed build)', async () => {
  const { compileKernel, kernelModuleSource, kernelBuilds, KERNEL_DIR } = (await import(
    pathToFileURL(path.join(ROOT, 'scripts/build-kernels.mjs')).href
  )) as BuildKernels;
  const builds = await kernelBuilds();
  assert.deepEqual(builds.map((b) => b.name).sort(), ['lstm', 'lstmRelaxed']);
  for (const build of builds) {
    const expected = kernelModuleSource(build, await compileKernel(build));
    assert.equal(
      fs.readFileSync(path.join(KERNEL_DIR, `${build.name}.wasm.ts`), 'utf8'),
      expected,
      `${build.name}.wasm.ts is stale: run npm run build:kernels`,
    );
  }
});

test('the kernel falls back to the plain build where the relaxed one does not validate', () => {
  const refuses = () => false;
  const accepts = () => true;
  assert.equal(chooseKernelBuild(undefined, refuses), 'plain');
  assert.equal(chooseKernelBuild('auto', refuses), 'plain');
  assert.equal(chooseKernelBuild(undefined, accepts), 'relaxed');
  assert.equal(chooseKernelBuild('plain', accepts), 'plain', 'TEXTCAT_KERNEL=plain forces the plain build');
  assert.equal(chooseKernelBuild('relaxed', accepts), 'relaxed');
  assert.throws(
    () => chooseKernelBuild('relaxed', refuses),
    (e: unknown) => e instanceof TextcatError && /no relaxed SIMD/.test(e.message),
  );
  assert.throws(() => chooseKernelBuild('fast', accepts), /TEXTCAT_KERNEL must be plain, relaxed or auto/);
  // What the probe is asked: the relaxed module's own bytes, which use relaxed opcodes (0xfd 0x85 0x02, f32x4.relaxed_madd).
  let probed: Uint8Array<ArrayBuffer> | undefined;
  assert.equal(
    relaxedSimdSupported((bytes) => ((probed = bytes), false)),
    false,
  );
  assert.ok(probed && Buffer.from(probed).includes(Buffer.from([0xfd, 0x85, 0x02])));
  assert.equal(WebAssembly.validate(probed), relaxedSimdSupported(), 'the default probe is WebAssembly.validate');
  if (!process.env.TEXTCAT_KERNEL) assert.equal(kernelBuild(), relaxedSimdSupported() ? 'relaxed' : 'plain');
});

const RELAXED_FLAG = '--experimental-wasm-relaxed-simd';

function withoutTestContext(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { NODE_TEST_CONTEXT: _context, ...rest } = env;
  return rest;
}

// CI's Node 20 runs the plain build only; this runs the reference comparison and the network's numeric gradient
// checks on the relaxed build, in a child process whose V8 has relaxed SIMD switched on.
test('the relaxed build matches the reference kernels and numeric gradients (child process with relaxed SIMD)', (t) => {
  if (relaxedSimdSupported()) {
    t.skip('this runtime has relaxed SIMD itself: referenceKernels.test.ts checks both builds in process');
    return;
  }
  const probe = spawnSync(process.execPath, [RELAXED_FLAG, '-e', ''], { encoding: 'utf8' });
  if (probe.status !== 0) {
    t.skip(
      `node ${process.version} does not know ${RELAXED_FLAG} (${probe.stderr.trim().split('\n')[0]}), and has no relaxed SIMD without it`,
    );
    return;
  }
  const files = ['test/unit/referenceKernels.test.ts', 'test/unit/network.test.ts'];
  const run = spawnSync(process.execPath, [RELAXED_FLAG, '--import', 'tsx', '--test', '--test-reporter=tap', ...files], {
    cwd: ROOT,
    encoding: 'utf8',
    // Without NODE_TEST_CONTEXT: with it, the child takes itself for part of this run and runs no files.
    env: { ...withoutTestContext(process.env), TEXTCAT_KERNEL: 'relaxed' },
  });
  const output = `${run.stdout}\n${run.stderr}`;
  assert.equal(run.status, 0, output.slice(-4000));
  assert.match(output, /^# fail 0$/m, output.slice(-4000));
  assert.match(output, /^\s*ok \d+ - matmul matches the reference .*\[relaxed\]$/m, 'the reference tests ran on the relaxed build');
});
