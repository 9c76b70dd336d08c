"""Label every line of a set of files on a Dask cluster with a Textcat model, one JSONL file out per file in.

    python3 textcat_dask.py MODEL_DIR 'logs/**/*.log.gz' --out labels/                 # a LocalCluster
    python3 textcat_dask.py MODEL_DIR logs/ --out labels/ --scheduler tcp://host:8786   # a real cluster
    python3 textcat_dask.py MODEL_DIR logs/ --out labels/ --engine numpy                # no Node on the workers

Inputs are folders (every file under them), globs or files; each file is one task. The output of
logs/a/app.log.gz is labels/a/app.log.gz.jsonl (paths relative to the folder given, or to a glob's fixed part),
one object per non-blank line in line order, as `textcat predict MODEL FILE --json` prints them, with "file"
first. A rerun skips every file whose output exists (outputs appear whole, by rename); a task whose worker
dies is rerun by Dask. Model, inputs and --out must be at the same paths on every worker (shared storage).
See README.md beside this file.
"""

import argparse
import glob
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PYTHON_EXAMPLES = os.path.join(HERE, "..", "python")
sys.path[:0] = [HERE, os.path.abspath(PYTHON_EXAMPLES)]

import textcat_partition  # noqa: E402


def input_files(inputs):
    """(path, name relative to its root) of every file the inputs name, sorted, without duplicates."""
    found = {}
    for given in inputs:
        if os.path.isdir(given):
            root = given
            paths = [os.path.join(d, f) for d, _, files in os.walk(given) for f in files]
        elif glob.has_magic(given):
            root = fixed_part(given)
            paths = [p for p in glob.glob(given, recursive=True) if os.path.isfile(p)]
        elif os.path.isfile(given):
            root, paths = os.path.dirname(given), [given]
        else:
            sys.exit(f"textcat_dask: {given}: no such file, folder or matching files")
        for path in paths:
            found.setdefault(os.path.abspath(path), os.path.relpath(path, root or "."))
    return sorted(found.items())


def fixed_part(pattern):
    """The folders of a glob before its first wildcard: logs/*/x.gz -> logs."""
    parts = pattern.split(os.sep)
    fixed = [p for p in parts[: next(i for i, p in enumerate(parts) if glob.has_magic(p))]]
    return os.sep.join(fixed) or "."


def remove_stale_temps(out):
    """Temporary files of a killed earlier run (never a finished output)."""
    for folder, _, files in os.walk(out):
        for name in files:
            if textcat_partition.is_temp(name):
                os.remove(os.path.join(folder, name))


def connect(scheduler, workers):
    from distributed import Client, LocalCluster

    if scheduler:
        client = Client(scheduler)
        # Workers elsewhere need the task's code: the partition module and the Python reference loader.
        for module in ("textcat_partition.py",):
            client.upload_file(os.path.join(HERE, module))
        for module in ("textcat_tokenizer.py", "textcat_numpy.py"):
            client.upload_file(os.path.join(PYTHON_EXAMPLES, module))
        return client, None
    # Local worker processes (and those a nanny restarts after a crash) inherit this path.
    os.environ["PYTHONPATH"] = os.pathsep.join([HERE, os.path.abspath(PYTHON_EXAMPLES), os.environ.get("PYTHONPATH", "")])
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
    return Client(cluster), cluster


def main(argv=None):
    parser = argparse.ArgumentParser(description="Label every line of files on a Dask cluster with a Textcat model.")
    parser.add_argument("model", help="the model folder (textcat train --out), at this path on every worker")
    parser.add_argument("inputs", nargs="+", help="files, folders or globs (quote them); .gz files are decompressed")
    parser.add_argument("--out", required=True, help="folder for the JSONL files, one per input file")
    parser.add_argument("--engine", choices=("cli", "numpy"), default="cli", help="textcat predict (Node) or numpy + PyICU [cli]")
    parser.add_argument("--cli", default="textcat", help="the command that runs Textcat's CLI on the workers [textcat]")
    parser.add_argument("--scheduler", help="a Dask scheduler's address; without it, a LocalCluster")
    parser.add_argument("--workers", type=int, default=os.cpu_count(), help="LocalCluster worker processes [CPU count]")
    parser.add_argument("--retries", type=int, default=2, help="reruns of a task that raised (a dead worker's task is rerun anyway)")
    args = parser.parse_args(argv)

    files = input_files(args.inputs)
    os.makedirs(args.out, exist_ok=True)
    remove_stale_temps(args.out)
    outputs = {path: os.path.join(os.path.abspath(args.out), name + ".jsonl") for path, name in files}
    todo = [path for path, _ in files if not os.path.exists(outputs[path])]
    print(f"{len(files)} files, {len(files) - len(todo)} already labeled, {len(todo)} to label", file=sys.stderr)
    if not todo:
        return 0

    from distributed import as_completed

    client, cluster = connect(args.scheduler, args.workers)
    try:
        started = time.perf_counter()
        cli = args.cli.split()
        futures = [
            client.submit(
                textcat_partition.label_file,
                path,
                outputs[path],
                os.path.abspath(args.model),
                args.engine,
                cli,
                key=f"textcat-{args.engine}-{path}",
                retries=args.retries,
                pure=False,
            )
            for path in todo
        ]
        lines = labeled = 0
        for future in as_completed(futures):
            done = future.result()
            lines += done["lines"]
            labeled += done["labeled"]
        seconds = time.perf_counter() - started
        print(
            f"labeled {labeled} of {lines} lines in {len(todo)} files in {seconds:.1f} s ({lines / seconds:.0f} lines/s)",
            file=sys.stderr,
        )
    finally:
        client.close()
        if cluster:
            cluster.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
