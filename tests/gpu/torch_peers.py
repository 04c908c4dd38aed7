"""PyTorch on the same GPU, in the same command as Theon's probe: the peer figures of docs/PERFORMANCE.md.

Each step returns its loss as a Python float (one synchronization, as a Theon call returns its cost), timed as the
median of many calls; the CUDA-graph variants replay a captured step with the loss read back.
"""
import statistics
import time

import torch
import torch.nn.functional as F

dev = torch.device("cuda")
torch.manual_seed(0)


def median_ms(fn, calls=200, warmup=20):
    for i in range(warmup):
        fn(i)
    times = []
    for i in range(calls):
        start = time.perf_counter()
        fn(i)
        times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times)


def event_ms(fn, repeat=20):
    fn()
    start, stop = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    start.record()
    for _ in range(repeat):
        fn()
    stop.record()
    torch.cuda.synchronize()
    return start.elapsed_time(stop) / repeat


def graphed(step, static_inputs):
    stream = torch.cuda.Stream()
    stream.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(stream):
        for _ in range(3):
            step(*static_inputs)
    torch.cuda.current_stream().wait_stream(stream)
    graph = torch.cuda.CUDAGraph()
    with torch.cuda.graph(graph):
        loss = step(*static_inputs)
    return graph, loss


def report(what, value):
    print(f"torch: {what:45s} {value}", flush=True)


report("version", f"{torch.__version__}, {torch.cuda.get_device_name()}")

n = 1 << 26
x, y = torch.randn(n, device=dev), torch.randn(n, device=dev)
out = torch.empty_like(x)
ms = event_ms(lambda: torch.tanh(x * y + x, out=out))
copy_ms = event_ms(lambda: out.copy_(x))
report("tanh(x*y+x), 64M f32 (eager)", f"{ms:.3f} ms = {3 * 4 * n / ms / 1e6:.0f} GB/s; copy {2 * 4 * n / copy_ms / 1e6:.0f} GB/s")

a, b = torch.randn(4096, 4096, device=dev), torch.randn(4096, 4096, device=dev)
ms = event_ms(lambda: a @ b, 10)
report("SGEMM 4096^3", f"{2 * 4096 ** 3 / ms / 1e9:.0f} GFLOP/s ({ms:.3f} ms)")

# 05: softmax regression on a 50000x784 set resident on the GPU, minibatches of 600 sliced by index.
data = torch.rand(50000, 784, device=dev)
labels = torch.randint(0, 10, (50000,), device=dev)
W = torch.zeros(784, 10, device=dev, requires_grad=True)
bias = torch.zeros(10, device=dev, requires_grad=True)


def regression_step(i):
    xb, yb = data[i * 600:(i + 1) * 600], labels[i * 600:(i + 1) * 600]
    loss = F.cross_entropy(xb @ W + bias, yb)
    gW, gb = torch.autograd.grad(loss, (W, bias))
    with torch.no_grad():
        W.sub_(0.13 * gW)
        bias.sub_(0.13 * gb)
    return loss.detach()


report("05 minibatch step (eager)", f"{median_ms(lambda i: regression_step(i % 83).item()):.4f} ms")

# MLP 784-500-10 tanh, batch 256, SGD.
w1 = (torch.rand(784, 500, device=dev) * 0.1 - 0.05).requires_grad_()
b1 = torch.zeros(500, device=dev, requires_grad=True)
w2 = (torch.rand(500, 10, device=dev) * 0.1 - 0.05).requires_grad_()
b2 = torch.zeros(10, device=dev, requires_grad=True)
params = [w1, b1, w2, b2]
xb = torch.rand(256, 784, device=dev)
yb = torch.randint(0, 10, (256,), device=dev)


def mlp_step(inputs, targets):
    loss = F.cross_entropy(torch.tanh(inputs @ w1 + b1) @ w2 + b2, targets)
    grads = torch.autograd.grad(loss, params)
    with torch.no_grad():
        for p, g in zip(params, grads):
            p.sub_(0.01 * g)
    return loss.detach()


report("MLP 784-500-10 step (eager)", f"{median_ms(lambda i: mlp_step(xb, yb).item()):.4f} ms")
graph, graph_loss = graphed(mlp_step, (xb, yb))


def replay(_):
    graph.replay()
    return graph_loss.item()


report("MLP 784-500-10 step (CUDA graph)", f"{median_ms(replay):.4f} ms")

# XNOR walkthrough, float64.
xs = torch.tensor([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=torch.float64, device=dev)
ts = torch.tensor([1, 0, 0, 1], dtype=torch.float64, device=dev)
xw = [torch.rand(2, dtype=torch.float64, device=dev, requires_grad=True) for _ in range(3)]
xb1 = torch.ones((), dtype=torch.float64, device=dev, requires_grad=True)
xb2 = torch.ones((), dtype=torch.float64, device=dev, requires_grad=True)


def xnor_step(_):
    a1 = torch.sigmoid(xs @ xw[0] + xb1)
    a2 = torch.sigmoid(xs @ xw[1] + xb1)
    a3 = torch.sigmoid(torch.stack([a1, a2], 1) @ xw[2] + xb2)
    cost = -(ts * torch.log(a3) + (1 - ts) * torch.log(1 - a3)).sum()
    ps = [*xw, xb1, xb2]
    grads = torch.autograd.grad(cost, ps)
    with torch.no_grad():
        for p, g in zip(ps, grads):
            p.sub_(0.01 * g)
    return cost.item()


report("XNOR step (eager, float64)", f"{median_ms(xnor_step):.4f} ms")

# The Elman RNN training step of tests/Theon.Benchmarks/ScanBenchmarks.cs (float32): 100 steps, batch 32, 64 inputs,
# 128 hidden, a 16-unit readout of every step, mean squared error, SGD 0.01; written the natural way, a Python loop
# over the steps with autograd (Theon runs it as two scans on the device).
steps, batch, n_in, n_hidden, n_out = 100, 32, 64, 128, 16
rx = torch.rand(steps, batch, n_in, device=dev) * 2 - 1
ry = torch.rand(steps, batch, n_out, device=dev) * 2 - 1
rh0 = torch.zeros(batch, n_hidden, device=dev)
rw = (torch.rand(n_in, n_hidden, device=dev) * 0.2 - 0.1).requires_grad_()
ru = (torch.rand(n_hidden, n_hidden, device=dev) * 0.2 - 0.1).requires_grad_()
rb = torch.zeros(n_hidden, device=dev, requires_grad=True)
rv = (torch.rand(n_hidden, n_out, device=dev) * 0.2 - 0.1).requires_grad_()
rnn_params = [rw, ru, rb, rv]


def rnn_step(_):
    h, states = rh0, []
    for t in range(steps):
        h = torch.tanh(rx[t] @ rw + h @ ru + rb)
        states.append(h)
    loss = ((torch.stack(states) @ rv - ry) ** 2).mean()
    grads = torch.autograd.grad(loss, rnn_params)
    with torch.no_grad():
        for p, g in zip(rnn_params, grads):
            p.sub_(0.01 * g)
    return loss.item()


report("RNN 100x32 64-128-16 step (eager, fwd+BPTT)", f"{median_ms(rnn_step, calls=100):.4f} ms")
# LeNet of notebook 08 (conv 20 5x5, max-pool 2, tanh, conv 50 5x5, max-pool 2, tanh, 800-500 tanh, softmax; float32),
# one SGD step on a fixed minibatch at batch 500 and 64, as tests/Theon.CudaProbe/LeNetStep.cs. Theon's step takes the
# minibatch as an argument and uploads it each call, so this step copies it up from pinned host memory too.


def lenet_parameters():
    shapes = [((20, 1, 5, 5), 0.1), ((20,), 0), ((50, 20, 5, 5), 0.05), ((50,), 0), ((800, 500), 0.05), ((500,), 0),
              ((500, 10), 0.1), ((10,), 0)]
    return [((torch.rand(s, device=dev) * 2 - 1) * r if r else torch.zeros(s, device=dev)).requires_grad_()
            for s, r in shapes]


def lenet_step(p, images, targets):
    h0 = torch.tanh(F.max_pool2d(F.conv2d(images, p[0]), 2) + p[1].view(1, -1, 1, 1))
    h1 = torch.tanh(F.max_pool2d(F.conv2d(h0, p[2]), 2) + p[3].view(1, -1, 1, 1))
    h2 = torch.tanh(h1.flatten(1) @ p[4] + p[5])
    loss = F.cross_entropy(h2 @ p[6] + p[7], targets)
    grads = torch.autograd.grad(loss, p)
    with torch.no_grad():
        for t, g in zip(p, grads):
            t.sub_(0.1 * g)
    return loss.detach()


for lenet_batch in (500, 64):
    lp = lenet_parameters()
    images = torch.rand(lenet_batch, 1, 28, 28).pin_memory()
    targets = torch.randint(0, 10, (lenet_batch,)).pin_memory()
    report(f"LeNet 08 step, batch {lenet_batch} (eager)",
           f"{median_ms(lambda i: lenet_step(lp, images.to(dev, non_blocking=True), targets.to(dev, non_blocking=True)).item()):.4f} ms "
           f"(cudnn.benchmark {torch.backends.cudnn.benchmark})")
