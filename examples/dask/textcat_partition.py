"""One Dask task: label every line of one input file (plain or .gz) with a Textcat model and write its JSONL.

Two engines, the same output (one object per non-blank line: file, line, label, confidence, probabilities):

- "cli": `textcat predict MODEL - --json --format lines` as a streaming filter, the file's bytes on its standard
  input (Node on the workers; Textcat itself, so exact by construction);
- "numpy": the Python reference loader (examples/python: numpy + PyICU, no Node), exact where the tokenizer
  specification holds for the worker's ICU (docs/tokenizer.md, "ICU versions").

The output appears whole or not at all: it is written to a temporary name beside it and renamed when complete,
so a finished file is one that exists under its own name, and a killed task leaves at most a temporary file.
"""

import gzip
import io
import json
import os
import shutil
import subprocess
import tempfile
import threading
import uuid

TEMP_MARK = ".tmp-"
# ECMAScript's \s: `textcat predict` skips a line that is empty after String.prototype.trim().
JS_WHITESPACE = set("\t\n\v\f\r \u00a0\u1680\u2028\u2029\u202f\u205f\u3000\ufeff") | {chr(c) for c in range(0x2000, 0x200B)}
NUMPY_BATCH = 256
_models = {}  # model folder -> textcat_numpy.Model, loaded once per worker process


def open_input(path):
    """The file's bytes, decompressed when its name ends in .gz."""
    return gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb")


def label_file(path, out_path, model_dir, engine="cli", cli=("textcat",)):
    """Labels `path` into `out_path` (JSONL); returns {"file", "lines", "labeled"}. Raises on any failure, so
    Dask retries the task; nothing is left under `out_path` unless the whole file was labeled."""
    folder = os.path.dirname(out_path) or "."
    os.makedirs(folder, exist_ok=True)
    prefix = f".{os.path.basename(out_path)}{TEMP_MARK}"
    for name in os.listdir(folder):  # what an earlier attempt at this file left when its worker was killed
        if name.startswith(prefix):
            os.remove(os.path.join(folder, name))
    temp = os.path.join(folder, prefix + uuid.uuid4().hex)
    try:
        with open(temp, "w", encoding="utf-8") as out:
            label = _label_with_cli if engine == "cli" else _label_with_numpy
            counts = label(path, out, model_dir, list(cli))
            out.flush()
            os.fsync(out.fileno())
            _crash_once_for_tests()
        os.replace(temp, out_path)
    except BaseException:
        if os.path.exists(temp):
            os.remove(temp)
        raise
    return {"file": path, **counts}


def _label_with_cli(path, out, model_dir, cli):
    command = [*cli, "predict", model_dir, "-", "--json", "--quiet", "--format", "lines"]
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errors)
        lines = {"n": 0, "last": b"\n"}

        def feed():
            # The file's bytes as they are: the CLI decodes, splits and numbers lines exactly as `predict FILE` does.
            try:
                with open_input(path) as source:
                    for chunk in iter(lambda: source.read(1 << 16), b""):
                        lines["n"] += chunk.count(b"\n")
                        lines["last"] = chunk[-1:]
                        process.stdin.write(chunk)
            except BrokenPipeError:
                pass  # the CLI stopped early; its exit status says why
            finally:
                process.stdin.close()

        feeder = threading.Thread(target=feed, daemon=True)
        feeder.start()
        labeled = 0
        for raw in process.stdout:
            prediction = json.loads(raw)
            out.write(json.dumps({"file": path, **prediction}, ensure_ascii=False, separators=(",", ":")) + "\n")
            labeled += 1
        feeder.join()
        if process.wait() != 0:
            errors.seek(0)
            message = errors.read().decode("utf-8", "replace").strip()
            raise RuntimeError(f"{' '.join(command)} exited {process.returncode} on {path}: {message}")
    return {"lines": lines["n"] + (lines["last"] != b"\n"), "labeled": labeled}


def numbered_lines(path):
    """(line number, text) of every line, as `textcat predict` reads plain text: split at \\n only, one trailing
    \\r dropped, a BOM dropped from line 1, invalid UTF-8 as U+FFFD."""
    with open_input(path) as raw:
        reader = io.TextIOWrapper(raw, encoding="utf-8", errors="replace", newline="\n")
        for number, line in enumerate(reader, 1):
            text = line[:-1] if line.endswith("\n") else line
            text = text[:-1] if text.endswith("\r") else text
            yield number, text[1:] if number == 1 and text.startswith("\ufeff") else text


def _label_with_numpy(path, out, model_dir, _cli):
    from textcat_numpy import Model, prediction

    model = _models.get(model_dir) or _models.setdefault(model_dir, Model(model_dir))
    counts = {"lines": 0, "labeled": 0}
    batch = []

    def flush():
        for (number, _), p in zip(batch, model.probabilities_batch([text for _, text in batch])):
            # A multi-label model's line also lists every class at or over its threshold ("labels").
            line = {"file": path, "line": number, **prediction(model.labels, p, model.thresholds, model.at_least_one_label)}
            out.write(json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n")
        counts["labeled"] += len(batch)
        batch.clear()

    for number, text in numbered_lines(path):
        counts["lines"] = number
        if all(c in JS_WHITESPACE for c in text):
            continue  # blank: skipped, but counted in the line numbers, as the CLI does
        batch.append((number, text))
        if len(batch) == NUMPY_BATCH:
            flush()
    flush()
    return counts


def _crash_once_for_tests():
    """Test hook: with TEXTCAT_DASK_CRASH_ONCE set to a path that does not exist yet, the first task to get here
    creates it and kills its worker process (as an out-of-memory kill would) after writing the file's output but
    before renaming it, so a test can see Dask rerun the task and the partial output not taken for a finished one."""
    flag = os.environ.get("TEXTCAT_DASK_CRASH_ONCE")
    if not flag:
        return
    try:
        os.close(os.open(flag, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        return
    os._exit(137)


def is_temp(name):
    return name.startswith(".") and TEMP_MARK in name

