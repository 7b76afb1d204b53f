#!/usr/bin/env python3
"""Writes wasmlp's own PyTorch-made BatchNorm test fixtures (test/fixtures/batchnorm_*.json and
batchnorm_torch.onnx), in the format of ../shared/fixtures/README.md, so test/batchnorm-torch.test.ts
can replay them through the public API. Needs torch (float64, CPU); the tests do not.

    /usr/bin/python3 scripts/gen-batchnorm-fixtures.py

Cases: two BatchNorm1d layers with non-default momentum and eps, one before and one after an
activation, mini-batches with a smaller last batch, weight decay with and without the biases
(gamma and beta decay as biases), Adam and SGD with momentum.
"""
import json
import os

import torch
import torch.nn as nn

torch.set_default_dtype(torch.float64)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures')


def tensors(net):
    """The weights dict: Wk (in x out), bk per Linear; bnj_* per BatchNorm1d."""
    out, dense, bn = {}, 0, 0
    for m in net:
        if isinstance(m, nn.Linear):
            out[f'W{dense}'] = m.weight.detach().t().tolist()
            if m.bias is not None:
                out[f'b{dense}'] = m.bias.detach().tolist()
            dense += 1
        elif isinstance(m, nn.BatchNorm1d):
            out[f'bn{bn}_gamma'] = m.weight.detach().tolist()
            out[f'bn{bn}_beta'] = m.bias.detach().tolist()
            out[f'bn{bn}_running_mean'] = m.running_mean.tolist()
            out[f'bn{bn}_running_var'] = m.running_var.tolist()
            bn += 1
    return out


def grads(net):
    out, dense, bn = {}, 0, 0
    for m in net:
        if isinstance(m, nn.Linear):
            out[f'W{dense}'] = m.weight.grad.t().tolist()
            if m.bias is not None:
                out[f'b{dense}'] = m.bias.grad.tolist()
            dense += 1
        elif isinstance(m, nn.BatchNorm1d):
            out[f'bn{bn}_gamma'] = m.weight.grad.tolist()
            out[f'bn{bn}_beta'] = m.bias.grad.tolist()
            bn += 1
    return out


def layers_of(net):
    out = []
    for m in net:
        if isinstance(m, nn.Linear):
            out.append({'type': 'dense', 'in': m.in_features, 'out': m.out_features})
        elif isinstance(m, nn.BatchNorm1d):
            out.append({'type': 'batchnorm', 'features': m.num_features, 'eps': m.eps, 'momentum': m.momentum})
        else:
            out.append({'type': 'activation', 'fn': {nn.Tanh: 'tanh', nn.ReLU: 'relu', nn.Sigmoid: 'sigmoid'}[type(m)]})
    return out


def run(name, description, net, loss_name, opt_spec, x, y, batch, epochs):
    loss_fn = {'mse': nn.MSELoss(), 'softmax_ce': lambda z, t: nn.functional.cross_entropy(z, t.argmax(1))}[loss_name]
    decay_biases = opt_spec.get('decay_biases', True)
    wd = opt_spec['weight_decay']
    weights = [p for m in net for n, p in m.named_parameters() if isinstance(m, nn.Linear) and n == 'weight']
    others = [p for p in net.parameters() if all(p is not w for w in weights)]
    groups = [{'params': weights, 'weight_decay': wd}, {'params': others, 'weight_decay': wd if decay_biases else 0.0}]
    if opt_spec['type'] == 'sgd':
        opt = torch.optim.SGD(groups, lr=opt_spec['lr'], momentum=opt_spec['momentum'])
    else:
        opt = torch.optim.Adam(groups, lr=opt_spec['lr'], betas=(opt_spec['beta1'], opt_spec['beta2']), eps=opt_spec['eps'])
    f = {'name': name, 'description': description, 'layers': layers_of(net), 'loss': loss_name, 'optimizer': opt_spec,
         'batch_size': batch, 'epochs': epochs, 'shuffle': False, 'x': x.tolist(), 'y': y.tolist(), 'initial': tensors(net)}
    net.eval()
    with torch.no_grad():
        f['forward0'] = net(x).tolist()
        f['loss0_full'] = loss_fn(net(x), y).item()
    per_step, step, n = [], 0, len(x)
    for epoch in range(epochs):
        for b, start in enumerate(range(0, n, batch)):
            xb, yb = x[start:start + batch], y[start:start + batch]
            net.train()
            opt.zero_grad()
            loss = loss_fn(net(xb), yb)
            loss.backward()
            if step == 0:
                f['grads_step0'] = grads(net)
            opt.step()
            if step == 0:
                f['after_step0'] = tensors(net)
            per_step.append({'step': step, 'epoch': epoch, 'batch': b, 'rows': [start, min(start + batch, n)], 'loss': loss.item()})
            step += 1
    f['per_step'] = per_step
    f['final'] = tensors(net)
    net.eval()
    with torch.no_grad():
        f['forward_final'] = net(x).tolist()
        f['loss_final_full'] = loss_fn(net(x), y).item()
    f['generator'] = f'scripts/gen-batchnorm-fixtures.py, PyTorch {torch.__version__} CPU, float64'
    with open(os.path.join(OUT, name + '.json'), 'w') as fh:
        json.dump(f, fh)
    return net


def main():
    torch.manual_seed(7)
    x = torch.randn(13, 3) * 2 + 0.5
    y = torch.stack([torch.sin(x[:, 0]) + x[:, 1] * 0.3, x[:, 2] ** 2 * 0.2], 1)
    net = nn.Sequential(
        # No bias before a BatchNorm: its gradient is rounding noise (exactly 0 in exact arithmetic, also
        # through a ReLU that passes the whole batch), which Adam would scale up to lr.
        nn.Linear(3, 6, bias=False), nn.BatchNorm1d(6, eps=1e-3, momentum=0.3), nn.Tanh(),
        nn.Linear(6, 5, bias=False), nn.ReLU(), nn.BatchNorm1d(5, eps=1e-4, momentum=0.05), nn.Linear(5, 2))
    run('batchnorm_two_layers_adam_wd', '3-6 (no bias) bn(eps 1e-3, m 0.3) tanh-5 (no bias) relu bn(eps 1e-4, m 0.05)-2, MSE, Adam lr 0.05 wd 0.01 '
        'without decay on biases/gamma/beta, batches of 5 of 13 rows, 3 epochs',
        net, 'mse', {'type': 'adam', 'lr': 0.05, 'beta1': 0.9, 'beta2': 0.999, 'eps': 1e-8, 'weight_decay': 0.01,
                     'amsgrad': False, 'decay_biases': False}, x, y, 5, 3)

    torch.manual_seed(11)
    x = torch.randn(10, 4)
    labels = (x[:, 0] + x[:, 1] * x[:, 2] > 0).long() + (x[:, 3] > 0.5).long()
    y = nn.functional.one_hot(labels, 3).double()
    net = nn.Sequential(nn.Linear(4, 7), nn.Sigmoid(), nn.BatchNorm1d(7, momentum=0.5), nn.Linear(7, 3))
    run('batchnorm_sgd_momentum_wd', '4-7 sigmoid bn(m 0.5)-3 logits, softmax CE, SGD lr 0.2 momentum 0.8 wd 0.05 on everything, '
        'batches of 4 of 10 rows, 4 epochs', net, 'softmax_ce',
        {'type': 'sgd', 'lr': 0.2, 'momentum': 0.8, 'dampening': 0.0, 'nesterov': False, 'weight_decay': 0.05}, x, y, 4, 4)

    # An ONNX file of a trained BatchNorm network (running estimates away from 0 and 1), for fromONNX.
    net.eval()
    xs = torch.randn(6, 4)
    torch.onnx.export(net.float(), xs.float(), os.path.join(OUT, 'batchnorm_torch.onnx'), input_names=['x'], output_names=['y'],
                      dynamic_axes={'x': {0: 'batch'}, 'y': {0: 'batch'}}, opset_version=13, do_constant_folding=False)
    with torch.no_grad():
        want = net(xs.float())
    with open(os.path.join(OUT, 'batchnorm_torch.onnx.json'), 'w') as fh:
        json.dump({'x': xs.float().tolist(), 'y': want.tolist(), 'opset': 13}, fh)


if __name__ == '__main__':
    main()
