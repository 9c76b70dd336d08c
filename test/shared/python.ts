// Finding a Python 3 with the Debian packages the reference loaders need (python3-numpy, python3-icu,
// python3-onnx: .ci/run installs them). Debian's packages live in /usr/bin/python3's path, which is not
// always the python3 first on PATH (pyenv), so that one is tried first.
import { spawnSync } from 'node:child_process';
import type { TestContext } from 'node:test';

const CANDIDATES = [process.env.TEXTCAT_PYTHON, '/usr/bin/python3', 'python3'].filter((p): p is string => !!p);

export function pythonWith(modules: string[]): string | undefined {
  return CANDIDATES.find((python) => spawnSync(python, ['-c', `import ${modules.join(', ')}`], { stdio: 'ignore' }).status === 0);
}

/**
 * A Python with `modules`, or undefined after skipping the test. In CI (.ci/run installs the modules) a
 * missing module fails the test instead, so the check cannot quietly stop running.
 */
export function requirePython(t: TestContext, modules: string[], install: string): string | undefined {
  const python = pythonWith(modules);
  if (python) return python;
  const why = `no python3 here imports ${modules.join(', ')} (${install})`;
  if (process.env.CI) throw new Error(why);
  t.skip(why);
  return undefined;
}

export function runPython(
  python: string,
  args: string[],
  cwd?: string,
  env: Record<string, string> = {},
): { status: number | null; stdout: string; stderr: string } {
  // No __pycache__ left in examples/python by the tests.
  const r = spawnSync(python, args, {
    cwd,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', ...env },
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
