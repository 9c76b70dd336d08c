"""PyTorch reference for bench:e2e: the whole process a user would write with PyTorch, like for like with
`textcat train` / `textcat predict` — read the CSV, tokenize (lower().split()), build a vocabulary, hold out a
validation share and score it after each epoch, train Embedding -> LSTM (uni or bi) -> Linear with Adam and
cross-entropy, save; then load, read a log, label every line and print one JSON object per line.

Usage:
  python3 e2e_torch.py train <data.csv> <model.pt> [--epochs 2] [--vocab 5000] [--length 64] [--embed 64]
                       [--hidden 64] [--batch 32] [--bidirectional] [--threads 1]
  python3 e2e_torch.py predict <model.pt> <log> [--threads 1] > labels.jsonl
"""
import argparse, csv, json, os, random, sys
from collections import Counter

p = argparse.ArgumentParser()
p.add_argument("mode", choices=["train", "predict"])
p.add_argument("input")
p.add_argument("output")
for name, default in [("epochs", 2), ("vocab", 5000), ("length", 64), ("embed", 64), ("hidden", 64), ("batch", 32), ("threads", 1)]:
    p.add_argument(f"--{name}", type=int, default=default)
p.add_argument("--bidirectional", action="store_true")
a = p.parse_args()
os.environ["OMP_NUM_THREADS"] = str(a.threads)
os.environ["OPENBLAS_NUM_THREADS"] = str(a.threads)
import torch  # noqa: E402

torch.set_num_threads(a.threads)
torch.manual_seed(0)


class Net(torch.nn.Module):
    def __init__(self, vocab, classes, bidirectional):
        super().__init__()
        self.emb = torch.nn.Embedding(vocab, a.embed, padding_idx=0)
        self.lstm = torch.nn.LSTM(a.embed, a.hidden, batch_first=True, bidirectional=bidirectional)
        self.out = torch.nn.Linear(a.hidden * (2 if bidirectional else 1), classes)

    def forward(self, x):
        _, (h, _) = self.lstm(self.emb(x))
        return self.out(torch.cat([h[-2], h[-1]], dim=-1) if self.lstm.bidirectional else h[-1])


def encode(text, ids):
    return [ids.get(w, 1) for w in text.lower().split()[: a.length]] or [1]


def padded(rows):
    steps = max(len(r) for r in rows)
    return torch.tensor([[0] * (steps - len(r)) + r for r in rows])


def train():
    with open(a.input, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    labels = sorted({r["label"] for r in rows})
    counts = Counter(w for r in rows for w in r["text"].lower().split())
    words = [w for w, _ in counts.most_common(a.vocab - 2)]
    ids = {w: i + 2 for i, w in enumerate(words)}  # 0 padding, 1 unknown
    data = [(encode(r["text"], ids), labels.index(r["label"])) for r in rows]
    random.Random(42).shuffle(data)
    held = len(data) // 10
    valid, data = data[:held], data[held:]
    net = Net(len(ids) + 2, len(labels), a.bidirectional)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()
    for epoch in range(a.epochs):
        net.train()
        random.Random(epoch).shuffle(data)
        for i in range(0, len(data), a.batch):
            batch = data[i : i + a.batch]
            opt.zero_grad()
            loss = loss_fn(net(padded([x for x, _ in batch])), torch.tensor([y for _, y in batch]))
            loss.backward()
            opt.step()
        net.eval()
        right = 0
        with torch.no_grad():
            for i in range(0, len(valid), 256):
                batch = valid[i : i + 256]
                right += (net(padded([x for x, _ in batch])).argmax(-1) == torch.tensor([y for _, y in batch])).sum().item()
        print(f"epoch {epoch + 1}: validation accuracy {right / max(1, len(valid)):.4f}", file=sys.stderr)
    torch.save({"state": net.state_dict(), "ids": ids, "labels": labels, "bidirectional": a.bidirectional}, a.output)


def predict():
    saved = torch.load(a.input)
    ids, labels = saved["ids"], saved["labels"]
    net = Net(len(ids) + 2, len(labels), saved["bidirectional"])
    net.load_state_dict(saved["state"])
    net.eval()
    with open(a.output, encoding="utf-8") as f:
        lines = [line.rstrip("\n") for line in f]
    encoded = [encode(line, ids) for line in lines]
    order = sorted(range(len(lines)), key=lambda i: len(encoded[i]))  # similar lengths together, as Textcat batches
    best = [None] * len(lines)
    with torch.no_grad():
        for i in range(0, len(order), 256):
            chunk = order[i : i + 256]
            probabilities = torch.softmax(net(padded([encoded[j] for j in chunk])), dim=-1)
            confidence, index = probabilities.max(-1)
            for j, c, k in zip(chunk, confidence.tolist(), index.tolist()):
                best[j] = (k, c)
    out = sys.stdout
    for n, (k, c) in enumerate(best, 1):
        out.write(json.dumps({"line": n, "label": labels[k], "confidence": c}) + "\n")


train() if a.mode == "train" else predict()
