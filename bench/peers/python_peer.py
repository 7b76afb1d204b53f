"""PyTorch (1 thread) and numpy (float32) on the standard workloads, for bench/run.js.

Reads a workload file written by bench/export-data.js (a JSON header line, then the raw
little-endian float32 arrays it names), trains or runs the network exactly as the workload says
(same data, same initial weights, same loss, plain SGD), and prints one line
`RESULT {json}` in the WORKLOADS.md record shape. Usage:

  /usr/bin/python3 bench/peers/python_peer.py --system torch|numpy --file W.bin [--max-seconds S] [--quick]
  /usr/bin/python3 bench/peers/python_peer.py --system torch|numpy --file W.bin --loss-check  # one step's loss

Slow schedules are cut to about --max-seconds at the warm-up's rate, as the Node peers do.
"""
import argparse
import json
import sys
import time

import numpy as np


def read_file(path):
    with open(path, 'rb') as f:
        header = json.loads(f.readline())
        arrays = {}
        for name, count in header['arrays']:
            arrays[name] = np.frombuffer(f.read(4 * count), dtype='<f4').copy()
    return header, arrays


def weights_of(header, arrays, key):
    out, width = [], header['inputs']
    for i, layer in enumerate(header['layers']):
        out.append(arrays[f'{key}W{i}'].reshape(width, layer['units']))
        out.append(arrays[f'{key}b{i}'])
        width = layer['units']
    return out


# ---------------------------------------------------------------- numpy (float32, hand-written backprop)
def np_act(name, z):
    if name == 'relu':
        return np.maximum(z, 0)
    if name == 'sigmoid':
        return 1 / (1 + np.exp(-z))
    if name == 'tanh':
        return np.tanh(z)
    return z


def np_act_grad(name, a, g):
    if name == 'relu':
        return g * (a > 0)
    if name == 'sigmoid':
        return g * a * (1 - a)
    if name == 'tanh':
        return g * (1 - a * a)
    return g


def np_loss(loss, y, t):
    """(loss value, dL/dy) of the workload's loss; y is the last layer's (activated) output."""
    if loss == 'mse':
        d = y - t
        return float(np.mean(d * d)), (2 / d.size) * d
    if loss == 'sse':
        d = y - t
        return float(0.5 * np.sum(d * d)), d
    if loss == 'bce_logits':
        v = np.maximum(y, 0) - y * t + np.log1p(np.exp(-np.abs(y)))
        return float(np.mean(v)), (1 / (1 + np.exp(-y)) - t) / y.size
    if loss == 'softmax_ce':
        z = y - y.max(axis=1, keepdims=True)
        e = np.exp(z)
        p = e / e.sum(axis=1, keepdims=True)
        return float(-np.mean(np.sum(t * (z - np.log(e.sum(axis=1, keepdims=True))), axis=1))), (p - t) / y.shape[0]
    raise ValueError(f'numpy peer: no loss {loss}')


class NumpyNet:
    def __init__(self, header, weights):
        self.acts = [l['activation'] for l in header['layers']]
        self.loss = header['loss']
        self.lr = np.float32(header['lr'])
        self.p = [w.astype(np.float32).copy() for w in weights]

    def forward(self, x):
        a = [x]
        for i, act in enumerate(self.acts):
            a.append(np_act(act, a[-1] @ self.p[2 * i] + self.p[2 * i + 1]))
        return a

    def step(self, x, t):
        a = self.forward(x)
        loss, g = np_loss(self.loss, a[-1], t)
        g = g.astype(np.float32)
        for i in reversed(range(len(self.acts))):
            g = np_act_grad(self.acts[i], a[i + 1], g)
            gw, gb = a[i].T @ g, g.sum(axis=0)
            if i > 0:
                g = g @ self.p[2 * i].T
            self.p[2 * i] -= self.lr * gw
            self.p[2 * i + 1] -= self.lr * gb
        return loss

    def predict(self, x):
        return self.forward(x)[-1]


# ---------------------------------------------------------------- PyTorch (float32, autograd, 1 thread)
def torch_net(header, weights):
    import torch
    torch.set_num_threads(1)
    mods = []
    width = header['inputs']
    for i, layer in enumerate(header['layers']):
        lin = torch.nn.Linear(width, layer['units'])
        with torch.no_grad():
            lin.weight.copy_(torch.from_numpy(weights[2 * i].T.copy()))
            lin.bias.copy_(torch.from_numpy(weights[2 * i + 1]))
        mods.append(lin)
        act = {'relu': torch.nn.ReLU, 'sigmoid': torch.nn.Sigmoid, 'tanh': torch.nn.Tanh}.get(layer['activation'])
        if act:
            mods.append(act())
        width = layer['units']
    model = torch.nn.Sequential(*mods)
    loss = header['loss']
    F = torch.nn.functional
    if loss == 'mse':
        fn = lambda y, t: F.mse_loss(y, t)
    elif loss == 'sse':
        fn = lambda y, t: 0.5 * ((y - t) ** 2).sum()
    elif loss == 'bce_logits':
        fn = lambda y, t: F.binary_cross_entropy_with_logits(y, t)
    elif loss == 'softmax_ce':
        fn = lambda y, t: -(t * F.log_softmax(y, dim=1)).sum(dim=1).mean()
    else:
        raise ValueError(f'torch peer: no loss {loss}')
    opt = torch.optim.SGD(model.parameters(), lr=header['lr'])

    class Net:
        def step(self, x, t):
            opt.zero_grad(set_to_none=True)
            out = fn(model(x), t)
            out.backward()
            opt.step()
            return out.item()

        def predict(self, x):
            with torch.no_grad():
                return model(x)
    return Net()


def make(system, header, weights):
    return torch_net(header, weights) if system == 'torch' else NumpyNet(header, weights)


def as_input(system, a):
    if system == 'torch':
        import torch
        return torch.from_numpy(a)
    return a


def train(system, header, arrays, epochs, rows):
    """Trains a fresh net on `epochs` passes over the first `rows` rows; returns (seconds, net, last loss)."""
    x = arrays['trainX'].reshape(-1, header['inputs'])[:rows]
    t = arrays['trainT'].reshape(-1, header['targetCols'])[:rows]
    b = rows if header['batch'] == 0 else min(header['batch'], rows)
    batches = [(as_input(system, x[s:s + b]), as_input(system, t[s:s + b])) for s in range(0, rows, b)]
    net = make(system, header, weights_of(header, arrays, 'init'))
    loss = None
    started = time.perf_counter()
    for _ in range(epochs):
        for bx, bt in batches:
            loss = net.step(bx, bt)
    return time.perf_counter() - started, net, loss


def score(header, out, labels, targets):
    """(loss, accuracy) of outputs on a split, in float64, as src/bench/score.ts takes them."""
    out = np.asarray(out, dtype=np.float64)
    # Arrays come flat from the file: the targets take the outputs' rows.
    loss, _ = np_loss(header['loss'], out, targets.reshape(out.shape[0], -1).astype(np.float64))
    if out.shape[1] == 1:
        cut = 0 if header['loss'] == 'bce_logits' else 0.5
        pred = (out[:, 0] > cut).astype(np.int64)
    else:
        pred = out.argmax(axis=1)
    return loss, float(np.mean(pred == labels.astype(np.int64)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--system', choices=['torch', 'numpy'], required=True)
    ap.add_argument('--file', required=True)
    ap.add_argument('--max-seconds', type=float, default=4.0)
    ap.add_argument('--warmup-seconds', type=float, default=0.5)
    ap.add_argument('--loss-check', action='store_true')
    args = ap.parse_args()
    header, arrays = read_file(args.file)
    system = args.system
    rows_all = header['trainRows']
    if args.loss_check:
        _, _, loss = train(system, header, arrays, 1, min(rows_all, header['batch'] or rows_all))
        print('LOSS ' + json.dumps({'system': system, 'workload': header['id'], 'loss': loss}))
        return
    note = 'PyTorch %s, 1 thread (torch.set_num_threads(1)), autograd + torch.optim.SGD' % __import__('torch').__version__ \
        if system == 'torch' else 'numpy %s float32, hand-written backprop' % np.__version__
    if header['kind'] == 'infer':
        x = arrays['testX'].reshape(-1, header['inputs'])
        net = make(system, header, weights_of(header, arrays, 'trained'))
        b = header['inferBatch']
        chunks = [as_input(system, x[r:r + b]) for r in range(0, x.shape[0], b)]
        for c in chunks[:20]:
            net.predict(c)
        started = time.perf_counter()
        outs = [net.predict(c) for c in chunks]
        seconds = time.perf_counter() - started
        out = np.concatenate([np.asarray(o) for o in outs])
        loss, acc = score(header, out, arrays['testLabels'], arrays['testT'])
        rec = {'system': system, 'workload': header['id'], 'threads': 1, 'seconds': seconds,
               'samples_per_s': x.shape[0] / seconds, 'final_loss': loss, 'accuracy': acc,
               'notes': f'{note}; forward per batch of {b}; the weights wasmlp trained'}
        print('RESULT ' + json.dumps(rec))
        return
    epochs, rows = header['epochs'], header['rows']
    minibatch = header['batch'] > 0
    # Warm-ups of doubling length (the same loop on a fresh net) until the warm-up time has passed.
    warm_e, warm_r = (min(epochs, 50), rows) if not minibatch else (1, min(rows, 20 * header['batch']))
    spent = 0.0
    while True:
        s, _, _ = train(system, header, arrays, warm_e, warm_r)
        spent += s
        if spent >= args.warmup_seconds or (warm_e >= epochs and warm_r >= rows):
            break
        warm_e, warm_r = (min(epochs, warm_e * 2), rows) if not minibatch else (1, min(rows, warm_r * 2))
    rate = warm_e * warm_r / s
    budget = rate * args.max_seconds
    cut = ''
    if epochs * rows > budget:
        if not minibatch:
            epochs = max(1, int(budget // rows))
            cut = f'ran {epochs} of {header["epochs"]} epochs'
        else:
            b = header['batch']
            rows = max(b, int(budget // b) * b)
            cut = f'ran {rows} of {header["rows"]} rows'
    # A short run is repeated until the runs add up to 0.25 s, the median taken (as the Node
    # systems do: src/bench/schedule.ts MIN_TIMED_SECONDS).
    runs = []
    while not runs or sum(r[0] for r in runs) < 0.25:
        runs.append(train(system, header, arrays, epochs, rows))
    seconds, net, _ = sorted(runs, key=lambda r: r[0])[(len(runs) - 1) // 2]
    split = 'test' if 'testX' in arrays else 'train'
    x = arrays[f'{split}X'].reshape(-1, header['inputs'])
    out = np.asarray(net.predict(as_input(system, x)))
    loss, acc = score(header, out, arrays[f'{split}Labels'], arrays[f'{split}T'].reshape(out.shape))
    rec = {'system': system, 'workload': header['id'], 'threads': 1, 'seconds': seconds,
           'samples_per_s': epochs * rows / seconds, 'final_loss': loss, 'accuracy': acc,
           'notes': '; '.join(p for p in [note, cut, f'{split}-set loss and accuracy'] if p)}
    print('RESULT ' + json.dumps(rec))


if __name__ == '__main__':
    sys.exit(main())
