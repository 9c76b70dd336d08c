"""A Textcat model in plain numpy: reads the model folder (model.json + weights.bin, a TensorFlow.js layers
model, and textcat.json for the labels and tokenizer) and gives the class probabilities of lines of text.
With a wide path (the default), a line's logits are the LSTM's plus the mean of its known n-grams' rows of
the n-gram table; the combination's weights are already in those weights (textcat.json's "combination" only
records them). A multi-label model (textcat.json's "multiLabel") has the same logits but a sigmoid per class
instead of the softmax, and a line gets every class at or over its threshold (textcat.json's "thresholds"), or
its most probable class when none is and textcat.json's "atLeastOneLabel" is true (every training row had a label).

    python3 textcat_numpy.py .textcat/model lines.txt   # one JSON object per non-blank line, like
                                                        # `textcat predict .textcat/model lines.txt --json`
    python3 textcat_numpy.py .textcat/model lines.txt --threshold 0.3   # multi-label: one threshold for all

Each object has "line", "label" and "confidence" (the most probable class), "probabilities" and, for a multi-label
model, "labels": every class at or over its threshold with its probability, most probable first (maybe none).
"""

import argparse
import json
import os
import sys

import numpy as np

from textcat_tokenizer import Tokenizer


class Model:
    def __init__(self, folder):
        with open(os.path.join(folder, "textcat.json"), encoding="utf-8") as f:
            manifest = json.load(f)
        self.labels = manifest["labels"]
        self.multi_label = manifest.get("multiLabel") is True or manifest["shape"].get("multiLabel") is True
        self.thresholds = manifest["thresholds"] if self.multi_label else None
        self.at_least_one_label = self.multi_label and manifest.get("atLeastOneLabel") is True
        self.tokenizer = Tokenizer.from_json(manifest["tokenizer"])
        self.weights = read_weights(folder)
        self.bidirectional = "lstm/kernel" not in self.weights

    def probabilities(self, text):
        ids = self.tokenizer.encode(text)  # the real tokens only: the model skips padding
        x = self.weights["embedding/embeddings"][ids]
        # The forward LSTM reads the tokens in order, the backward one in reverse; no tokens gives zeros.
        if self.bidirectional:
            states = [lstm_last_state(x, self.weights, "bidirectional/forward_lstm"),
                      lstm_last_state(x[::-1], self.weights, "bidirectional/backward_lstm")]
        else:
            states = [lstm_last_state(x, self.weights, "lstm")]
        logits = np.concatenate(states) @ self.weights["dense/kernel"] + self.weights["dense/bias"]
        if "ngram_embedding/embeddings" in self.weights:
            ngrams = self.tokenizer.encode_ngrams(text)
            if ngrams:  # no known n-gram adds nothing
                logits = logits + self.weights["ngram_embedding/embeddings"][ngrams].mean(axis=0)
        return output_probabilities(logits, self.multi_label)

    def probabilities_batch(self, texts):
        """[len(texts), classes]: probabilities() of many lines at once, each LSTM step one matrix product for
        the whole batch (rows whose tokens have run out keep their state), for labeling files in bulk."""
        rows = [self.tokenizer.encode(text) for text in texts]
        steps = max([len(ids) for ids in rows] + [1])
        # Right-aligned behind padding, forward and reversed: a row's padding steps come first and change nothing.
        lengths = np.array([len(ids) for ids in rows])
        forward = np.zeros((len(rows), steps), np.int64)
        for r, ids in enumerate(rows):
            forward[r, steps - len(ids) :] = ids
        backward = np.zeros_like(forward)
        for r, ids in enumerate(rows):
            backward[r, steps - len(ids) :] = ids[::-1]
        table = self.weights["embedding/embeddings"]
        if self.bidirectional:
            states = [lstm_last_states(table[forward], lengths, self.weights, "bidirectional/forward_lstm"),
                      lstm_last_states(table[backward], lengths, self.weights, "bidirectional/backward_lstm")]
        else:
            states = [lstm_last_states(table[forward], lengths, self.weights, "lstm")]
        logits = np.concatenate(states, axis=1) @ self.weights["dense/kernel"] + self.weights["dense/bias"]
        if "ngram_embedding/embeddings" in self.weights:
            ngram_table = self.weights["ngram_embedding/embeddings"]
            for r, text in enumerate(texts):
                ngrams = self.tokenizer.encode_ngrams(text)
                if ngrams:
                    logits[r] = logits[r] + ngram_table[ngrams].mean(axis=0)
        return output_probabilities(logits, self.multi_label)


def output_probabilities(logits, multi_label):
    """The softmax over the classes (the last axis) or, for a multi-label model, each class's own sigmoid."""
    if multi_label:
        return np.exp(-np.logaddexp(0, -logits))  # 1 / (1 + e^-z) without overflowing for very negative z
    e = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def prediction(labels, p, thresholds=None, at_least_one_label=False):
    """One line's fields of `textcat predict --json` from its probabilities p: the most probable class and, with
    thresholds (a multi-label model), every class at or over its threshold, most probable first; with
    at_least_one_label, the most probable class when none is."""
    best = int(p.argmax())
    line = {"label": labels[best], "confidence": round(float(p[best]), 6)}
    line["probabilities"] = {label: round(float(v), 6) for label, v in zip(labels, p)}
    if thresholds is not None:
        given = sorted((k for k in range(len(labels)) if p[k] >= thresholds[k]), key=lambda k: -p[k])
        if not given and at_least_one_label:
            given = [best]
        line["labels"] = [{"label": labels[k], "probability": round(float(p[k]), 6)} for k in given]
    return line


def thresholds_of(multi_label, thresholds, threshold):
    """The thresholds to label by: the model's, or `threshold` for every class (--threshold, multi-label only)."""
    if threshold is None:
        return thresholds
    if not multi_label:
        sys.exit("--threshold applies to multi-label models; this one gives each line one class")
    if not 0 < threshold < 1:
        sys.exit("--threshold must be between 0 and 1")
    return [threshold] * len(thresholds)


def read_weights(folder):
    """name -> float32 array, from weights.bin laid out as model.json's weightsManifest lists them."""
    with open(os.path.join(folder, "model.json"), encoding="utf-8") as f:
        manifest = json.load(f)["weightsManifest"]
    data = b"".join(open(os.path.join(folder, path), "rb").read() for group in manifest for path in group["paths"])
    weights, offset = {}, 0
    for spec in (w for group in manifest for w in group["weights"]):
        count = int(np.prod(spec["shape"]))
        weights[spec["name"]] = np.frombuffer(data, "<f4", count, offset).reshape(spec["shape"])
        offset += 4 * count
    return weights


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def lstm_last_state(x, weights, name):
    kernel, recurrent, bias = (weights[f"{name}/{part}"] for part in ("kernel", "recurrent_kernel", "bias"))
    h = c = np.zeros(recurrent.shape[0], np.float32)
    for step in x:
        # Keras gate order: input, forget, cell candidate, output.
        i, f, g, o = np.split(step @ kernel + h @ recurrent + bias, 4)
        c = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
        h = sigmoid(o) * np.tanh(c)
    return h


def lstm_last_states(x, lengths, weights, name):
    """lstm_last_state of each row of x [rows, steps, dim], whose last lengths[r] steps are its tokens."""
    kernel, recurrent, bias = (weights[f"{name}/{part}"] for part in ("kernel", "recurrent_kernel", "bias"))
    rows, steps = x.shape[:2]
    h = np.zeros((rows, recurrent.shape[0]), np.float32)
    c = np.zeros_like(h)
    for t in range(steps):
        i, f, g, o = np.split(x[:, t] @ kernel + h @ recurrent + bias, 4, axis=1)
        c_next = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
        h_next = sigmoid(o) * np.tanh(c_next)
        real = (lengths >= steps - t)[:, None]
        c = np.where(real, c_next, c)
        h = np.where(real, h_next, h)
    return h


def print_prediction(number, labels, p, thresholds, at_least_one_label=False):
    """Prints line `number`'s object of `textcat predict --json`: its number and prediction(labels, p, …)."""
    print(json.dumps({"line": number, **prediction(labels, p, thresholds, at_least_one_label)}, ensure_ascii=False))


def command_line(description, model_argument, main):
    """Runs main(model, lines, threshold) with the command line this script and predict_onnx.py take: the model,
    a file of lines (standard input without one) and --threshold."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument(model_argument)
    parser.add_argument("file", nargs="?")
    parser.add_argument("--threshold", type=float, help="multi-label models: one threshold for every class")
    args = parser.parse_args()
    with open(args.file, encoding="utf-8") if args.file else sys.stdin as source:
        main(getattr(args, model_argument), source, args.threshold)


def main(folder, lines, threshold=None):
    model = Model(folder)
    thresholds = thresholds_of(model.multi_label, model.thresholds, threshold)
    for number, text in enumerate(lines, 1):
        text = text.rstrip("\r\n")
        if not text.strip():
            continue
        print_prediction(number, model.labels, model.probabilities(text), thresholds, model.at_least_one_label)


if __name__ == "__main__":
    command_line("Label lines with a Textcat model folder, in numpy.", "model_dir", main)
