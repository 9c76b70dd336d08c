"""Run a model exported with `textcat export` in onnxruntime (pip install onnxruntime; the tokenizer needs
PyICU, Debian's python3-icu):

    python3 predict_onnx.py model.onnx lines.txt   # one JSON object per non-blank line, as `textcat predict --json`

The tokenizer, the input and output names and the labels come from model.tokenizer.json beside the .onnx file.
"""

import json
import re
import sys

import numpy as np
import onnxruntime

from textcat_tokenizer import Tokenizer


def main(onnx_file, lines):
    with open(re.sub(r"\.onnx$", "", onnx_file) + ".tokenizer.json", encoding="utf-8") as f:
        spec = json.load(f)
    tokenizer = Tokenizer.from_json(spec)
    texts = [(number, line.rstrip("\r\n")) for number, line in enumerate(lines, 1) if line.strip()]
    ids = np.array([tokenizer.model_input(text) for _, text in texts], np.int64).reshape(len(texts), -1)
    feeds = {spec["input"]: ids}
    if "ngrams" in spec:
        # A model with a wide path: each line's n-gram ids, then 0s to the longest line's count (at least 1).
        rows = [tokenizer.encode_ngrams(text) for _, text in texts]
        ngram_ids = np.zeros((len(rows), max([1] + [len(r) for r in rows])), np.int64)
        for i, row in enumerate(rows):
            ngram_ids[i, : len(row)] = row
        feeds[spec["ngrams"]["input"]] = ngram_ids
    session = onnxruntime.InferenceSession(onnx_file, providers=["CPUExecutionProvider"])
    (probabilities,) = session.run([spec["output"]], feeds)
    for (number, _), p in zip(texts, probabilities):
        best = int(p.argmax())
        by_label = {label: round(float(v), 6) for label, v in zip(spec["labels"], p)}
        line = {"line": number, "label": spec["labels"][best], "confidence": round(float(p[best]), 6), "probabilities": by_label}
        print(json.dumps(line, ensure_ascii=False))


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: predict_onnx.py MODEL.onnx [FILE]")
    with open(sys.argv[2], encoding="utf-8") if len(sys.argv) == 3 else sys.stdin as source:
        main(sys.argv[1], source)
