"""PyTorch reference for bench/throughput: the same model (Embedding -> LSTM -> Linear, Adam 1e-3,
cross-entropy) on the same synthetic data shape, one BLAS thread. Prints one JSON line.

Usage: python3 lstm_torch.py --vocab 5000 --length 64 --embed 64 --hidden 64 --classes 4 --batch 32 --train 8000
       [--data sequences.json]: real token-id sequences and targets instead ({"sequences": [[...]], "targets": [...]});
       each batch is then left-padded to its longest line (at most --length), as Textcat's batches are.
"""
import argparse, json, os, resource, time

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
import torch  # noqa: E402

p = argparse.ArgumentParser()
for name, default in [("vocab", 5000), ("length", 64), ("embed", 64), ("hidden", 64), ("classes", 4), ("batch", 32), ("train", 8000), ("predict", 8000)]:
    p.add_argument(f"--{name}", type=int, default=default)
p.add_argument("--data")
a = p.parse_args()
torch.set_num_threads(1)
torch.manual_seed(0)


class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = torch.nn.Embedding(a.vocab, a.embed)
        self.lstm = torch.nn.LSTM(a.embed, a.hidden, batch_first=True)
        self.out = torch.nn.Linear(a.hidden, a.classes)

    def forward(self, x):
        _, (h, _) = self.lstm(self.emb(x))
        return self.out(h[-1])


net = Net()
opt = torch.optim.Adam(net.parameters(), lr=1e-3)
loss_fn = torch.nn.CrossEntropyLoss()


def padded_batches(sequences, size):
    """Batches of `size` in order, each left-padded with 0 to its longest line (at most --length)."""
    out = []
    for i in range(0, len(sequences), size):
        rows = [s[:a.length] for s in sequences[i:i + size]]
        steps = max(1, max(len(r) for r in rows))
        out.append(torch.tensor([[0] * (steps - len(r)) + r for r in rows]))
    return out


if a.data:
    with open(a.data) as f:
        data = json.load(f)
    batches = padded_batches(data["sequences"], a.batch)
    y = torch.tensor(data["targets"])
    a.train = len(data["targets"])
    # Prediction batches lines of similar length together, as Textcat's does.
    predict_batches = padded_batches(sorted(data["sequences"], key=len), 256)
else:
    x = torch.randint(2, a.vocab, (a.train, a.length))
    y = torch.randint(0, a.classes, (a.train,))
    batches = [x[i:i + a.batch] for i in range(0, a.train, a.batch)]
    predict_batches = [x[i:i + 256] for i in range(0, min(a.predict, a.train), 256)]


def epoch():
    for i, xb in enumerate(batches):
        opt.zero_grad()
        loss = loss_fn(net(xb), y[i * a.batch:(i + 1) * a.batch])
        loss.backward()
        opt.step()


epoch()  # warm-up
t = time.perf_counter()
epoch()
train_rate = a.train / (time.perf_counter() - t)
with torch.no_grad():
    t = time.perf_counter()
    for xb in predict_batches:
        torch.softmax(net(xb), dim=-1)
    predict_rate = sum(len(xb) for xb in predict_batches) / (time.perf_counter() - t)


def blas_library():
    """Which BLAS this torch runs on: Debian's torch uses the system libblas.so.3, and the reference
    netlib BLAS (libblas3) is several times slower than OpenBLAS (libopenblas0-pthread)."""
    with open("/proc/self/maps") as maps:
        paths = {line.split()[-1] for line in maps if "blas" in line.lower() and "/" in line}
    return ", ".join(sorted(os.path.realpath(p) for p in paths)) or "built in"


print(json.dumps({"trainSamplesPerSecond": train_rate, "predictLinesPerSecond": predict_rate,
                  "peakRssMB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "torch": torch.__version__,
                  "blas": blas_library()}))
