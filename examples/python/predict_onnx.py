"""Run a model exported with `textcat export` in onnxruntime (pip install onnxruntime; the tokenizer needs
PyICU, Debian's python3-icu):

    python3 predict_onnx.py model.onnx lines.txt   # one JSON object per non-blank line, as `textcat predict --json`
    python3 predict_onnx.py model.onnx lines.txt --threshold 0.3   # multi-label: one threshold for every class

The tokenizer, the input and output names and the labels come from model.tokenizer.json beside the .onnx file;
for a multi-label model (a sigmoid per class) also its per-class thresholds: each line then lists in "labels"
every class at or over its threshold with its probability, most probable first, or its most probable class when none
is and "atLeastOneLabel" is true (as textcat_numpy.py does).
"""

import json
import re

import numpy as np
import onnxruntime

from textcat_numpy import command_line, print_prediction, thresholds_of
from textcat_tokenizer import Tokenizer


def main(onnx_file, lines, threshold=None):
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
    multi_label = spec.get("multiLabel") is True
    thresholds = thresholds_of(multi_label, spec.get("thresholds"), threshold)
    for (number, _), p in zip(texts, probabilities):
        at_least_one_label = multi_label and spec.get("atLeastOneLabel") is True
        print_prediction(number, spec["labels"], p, thresholds, at_least_one_label)


if __name__ == "__main__":
    command_line("Label lines with a Textcat model exported to ONNX.", "onnx_file", main)
