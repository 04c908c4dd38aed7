using System.Diagnostics;
using Theon;
using Theon.Backends.Cuda;
using Theon.Backends.Cuda.Codegen;
using Theon.Backends.Cuda.Runtime;
using Theon.CudaProbe;
using Theon.Ops;
using static Theon.T;

// The CUDA probe, printing one table: --compile (NVRTC only: every kernel the probe uses compiles); --all (a GPU: how
// each probe graph is placed, correctness against the CPU, fused elementwise GB/s, SGEMM against cuBLAS alone, and the
// notebooks' training steps with what a steady call moves); --emulated (no GPU: the same placement, correctness and
// steady-call counts on the CUDA emulation, a rehearsal of --all without its timings). tests/gpu/torch_peers.py
// measures PyTorch on the same GPU in the same command.
var mode = args.FirstOrDefault() ?? "--all";
var table = new List<(string What, string Value)>();
np.random.seed(1234);

if (mode is "--compile") CompileAll();
if (mode is "--emulated")
{
    Environment.SetEnvironmentVariable("THEON_CUDA_DEVICE", "emulated");
    var emulated = CudaBackend.Instance.Device;
    table.Add(("device", emulated.Name));
    Plans();
    var failures = Correctness();
    foreach (var step in TrainingSteps.All()) Measure(step, emulated, calls: 12);
    Print();
    return failures == 0 ? 0 : 1;
}
if (mode is "--all")
{
    if (!CudaDevice.TryGetDefault(out var device, out var reason))
    {
        Console.WriteLine($"no CUDA device: {reason}");
        return 2;
    }
    table.Add(("device", $"{device!.Name}, {device.Architecture}, {device.Multiprocessors} SMs"));
    table.Add(("libraries", device.Libraries));
    Plans();
    var failures = Correctness();
    Print();
    Bandwidth(device);
    Sgemm(device);
    foreach (var step in TrainingSteps.All()) Measure(step, device);
    WholeTraining(device);
    Print();
    return failures == 0 ? 0 : 1;
}
Print();
return 0;

void Print()
{
    var width = table.Count == 0 ? 0 : table.Max(r => r.What.Length);
    foreach (var (what, value) in table) Console.WriteLine($"{what.PadRight(width)}  {value}");
    table.Clear();
}

static Dictionary<string, Delegate> Graphs(string backend)
{
    var (x, y, w, b) = (fmatrix("x"), fmatrix("y"), fmatrix("w"), fvector("b"));
    var labels = lvector("labels");
    var logits = dot(x, w) + b;
    var nll = mean(-log(nnet.softmax(logits))[arange(labels.shape[0]), labels]);
    var (sequence, h0, u) = (ftensor3("sequence"), fmatrix("h0"), fmatrix("u"));
    var (states, _) = scan((xt, hPrev) => tanh(dot(xt, w) + dot(hPrev, u)), sequences: sequence, outputs_info: h0);
    var rnnCost = mean(sqr(states));
    return new()
    {
        ["fused tanh(x*y+x)"] = function([x, y], tanh(x * y + x), backend: backend),
        ["broadcast row, sigmoid"] = function([x, b], nnet.sigmoid(x - b) * 2.0f, backend: backend),
        ["sum/max/argmax axis 1"] = function([x], [sum(x, axis: 1), max(x, axis: 0), argmax(x, axis: 1)],
            backend: backend),
        ["softmax(dot(x,w)+b)"] = function([x, w, b], nnet.softmax(logits), backend: backend),
        ["dot(x.T, y)"] = function([x, y], dot(x.T, y), backend: backend),
        ["nll and its gradient"] = function([x, w, b, labels], [nll, grad(nll, w), grad(nll, b)], backend: backend),
        ["scan RNN, its BPTT gradient"] = function([sequence, h0, w, u], [rnnCost, .. grad(rnnCost, [h0, w, u])],
            backend: backend),
    };
}

void Plans()
{
    foreach (var (name, f) in Graphs("cuda"))
    {
        var compiled = CompiledFunction.Of(f);
        var executable = (CudaExecutable)compiled.Executable;
        var plan = executable.Plan;
        var host = ExecutionPlan.Fallbacks(plan).Concat(Steps(executable).SelectMany(s => ExecutionPlan.Fallbacks(s.Plan)))
            .Select(n => n.op.Name).DefaultIfEmpty("none");
        table.Add(($"plan: {name}", $"{compiled.NodesBefore} nodes -> {plan.Count} steps " +
            $"({plan.Count(s => s is PlanStep.OnDevice)} on the device); host fallbacks: {string.Join(", ", host)}"));
    }
    var lenet = CompiledFunction.Of(LeNetStep.Compile("cuda", 64).Step);
    var lenetPlan = ((CudaExecutable)lenet.Executable).Plan;
    table.Add(("plan: LeNet 08 step", $"{lenetPlan.Count} steps ({lenetPlan.Count(s => s is PlanStep.OnDevice)} on " +
        $"the device); host fallbacks: {string.Join(", ", ExecutionPlan.Fallbacks(lenetPlan).Select(n => n.op.Name)
            .DefaultIfEmpty("none"))}"));
}

// The executables of the scans' steps (nested ones too): their nodes fall back to the host per step.
static IEnumerable<CudaExecutable> Steps(CudaExecutable executable) =>
    executable.Scans.Values.SelectMany(s => (IEnumerable<CudaExecutable>)[s.Step, .. Steps(s.Step)]);

void CompileAll()
{
    var compiler = new KernelCompiler(cacheFolder: null);
    var sources = new List<(string Name, string Source)>();
    foreach (var dtype in new[] { DType.Float32, DType.Float64 })
    {
        sources.AddRange(ReductionKernel.Kinds.Select(k => (k, new ReductionKernel(k, dtype).Source())));
        sources.Add(("softmax", new SoftmaxKernels(dtype).Source()));
        sources.Add(("indexing", new IndexingKernels(dtype, 2).Source()));
        sources.Add(("conv", new ConvKernels(dtype).Source()));
        sources.Add(("pool", new PoolKernels(dtype).Source()));
    }
    var watch = Stopwatch.StartNew();
    foreach (var (name, source) in sources) compiler.Ptx(source, "compute_80");
    table.Add(("NVRTC", $"{sources.Count} modules compiled in {watch.Elapsed.TotalMilliseconds:F0} ms"));
}

int Correctness()
{
    var failures = 0;
    var data = new Dictionary<string, object[]>
    {
        ["fused tanh(x*y+x)"] = [Rand(300, 200), Rand(300, 200)],
        ["broadcast row, sigmoid"] = [Rand(300, 200), Rand(200)],
        ["sum/max/argmax axis 1"] = [Rand(300, 200)],
        ["softmax(dot(x,w)+b)"] = [Rand(128, 64), Rand(64, 10), Rand(10)],
        ["dot(x.T, y)"] = [Rand(128, 64), Rand(128, 32)],
        ["nll and its gradient"] = [Rand(128, 64), Rand(64, 10), Rand(10), np.random.randint(0, 10, 128)],
        ["scan RNN, its BPTT gradient"] = [Rand(20, 8, 16), Rand(8, 32), (Rand(16, 32) * 0.2).astype(DType.Float32),
            (Rand(32, 32) * 0.2).astype(DType.Float32)],
    };
    var device = Graphs("cuda");
    foreach (var (name, f) in Graphs("cpu"))
    {
        var expected = CompiledFunction.Of(f).Call(data[name]);
        var actual = CompiledFunction.Of(device[name]).Call(data[name]);
        var error = expected.Zip(actual).Max(p => MaxRelativeError(p.First, p.Second));
        var ok = error < 1e-4;
        failures += ok ? 0 : 1;
        table.Add(($"correct: {name}", $"{(ok ? "ok" : "MISMATCH")} (max relative error {error:E2} vs CPU)"));
    }
    foreach (var step in TrainingSteps.All())
    {
        var error = step.CompareWithCpu(steps: 5);
        var ok = error < 1e-4;
        failures += ok ? 0 : 1;
        table.Add(($"correct: {step.Name}", $"{(ok ? "ok" : "MISMATCH")} (5 steps, max relative error of the " +
            $"costs and parameters {error:E2} vs CPU)"));
    }
    return failures;
}

static NDArray Rand(params int[] shape) => np.random.randn(shape).astype(DType.Float32);

static double MaxRelativeError(NDArray expected, NDArray actual)
{
    if (!expected.shape.SequenceEqual(actual.shape)) return double.PositiveInfinity;
    var (e, a) = (expected.ToFlatArray<double>(), actual.ToFlatArray<double>());
    return e.Zip(a).Select(p => Math.Abs(p.First - p.Second) / (1 + Math.Abs(p.First))).DefaultIfEmpty(0).Max();
}

void Bandwidth(CudaDevice device)
{
    const int n = 1 << 26;   // 64 Mi float32 per array: 256 MiB, far past the L2
    var kernels = new KernelLauncher(device);
    using var transfers = new Transfers(device);
    var (x, y) = (transfers.Upload(Rand(n)), transfers.Upload(Rand(n)));
    var (xi, yi) = (new ScalarExpr.Input(0), new ScalarExpr.Input(1));
    var body = new LoopBody(new ScalarExpr.Call(Theon.Ops.Tanh.Op, new([new ScalarExpr.Call(Theon.Ops.Add.Op,
        new([new ScalarExpr.Call(Theon.Ops.Mul.Op, new([xi, yi])), xi]))])), new([DType.Float32, DType.Float32]),
        DType.Float32);
    var output = DeviceArray.Allocate(device, DType.Float32, [n]);
    kernels.LoopInto(body, [x, y], [n], output);   // compile and warm up
    var ms = device.TimeMilliseconds(() =>
    {
        for (var i = 0; i < 20; i++) kernels.LoopInto(body, [x, y], [n], output);
    }) / 20;
    var copyMs = device.TimeMilliseconds(() =>
    {
        for (var i = 0; i < 20; i++) device.CopyOnDevice(output.Pointer, x.Pointer, 4L * n);
    }) / 20;
    var gbs = 3.0 * 4 * n / (ms * 1e6);
    var copyGbs = 2.0 * 4 * n / (copyMs * 1e6);
    table.Add(("fused tanh(x*y+x), 64M f32", $"{ms:F3} ms = {gbs:F0} GB/s; device-to-device copy {copyGbs:F0} GB/s " +
        $"(fused/copy {gbs / copyGbs:P0}); theoretical {device.TheoreticalBandwidthGBs:F0} GB/s"));
    foreach (var a in new[] { x, y, output }) a.Memory.Dispose();
}

void Sgemm(CudaDevice device)
{
    const int size = 4096;
    var kernels = new KernelLauncher(device);
    using var transfers = new Transfers(device);
    var (a, b) = (transfers.Upload(Rand(size, size)), transfers.Upload(Rand(size, size)));
    var c = DeviceArray.Allocate(device, DType.Float32, [size, size]);
    kernels.GemmInto(a, b, c);
    var alone = device.TimeMilliseconds(() => { for (var i = 0; i < 10; i++) kernels.GemmInto(a, b, c); }) / 10;
    var temporaries = new List<DeviceMemory>();
    var results = new List<DeviceArray>();
    var ours = device.TimeMilliseconds(() =>
    {
        for (var i = 0; i < 10; i++) results.Add(kernels.Gemm(a, b, temporaries));
    }) / 10;
    results.ForEach(r => r.Memory.Dispose());
    var flops = 2.0 * size * size * size;
    table.Add(("SGEMM 4096^3",
        $"ours {flops / (ours * 1e9):F0} GFLOP/s ({ours:F3} ms), cuBLAS alone {flops / (alone * 1e9):F0} GFLOP/s " +
        $"({alone:F3} ms): ours/cuBLAS {alone / ours:F3}"));
    foreach (var m in new[] { a, b, c }) m.Memory.Dispose();
}

void Measure(TrainingStep step, Device device, int calls = 400)
{
    var cpu = step.Build("cpu");
    var cpuMs = Timing.MedianMilliseconds(i => cpu(i), 20);
    foreach (var graphs in new[] { false, true })
    {
        config.cuda_graphs = graphs;
        var cuda = step.Build("cuda");
        // Every minibatch's key seen twice, so captured where graphs are on; the counted call repeats an earlier key.
        var warmup = Math.Min(calls / 2, 200);
        for (var i = 0; i < warmup; i++) cuda(i);
        var before = device.Counts;
        cuda(warmup - 2);
        var call = device.Counts - before;
        var cudaMs = Timing.MedianMilliseconds(i => cuda(i), calls);
        table.Add(($"step: {step.Name}, graphs {(graphs ? "on" : "off")}", $"CUDA {cudaMs:F4} ms, CPU {cpuMs:F4} ms " +
            $"(median); a steady CUDA call: {call.Allocations} allocations, {call.BytesToDevice} B up, " +
            $"{call.BytesToHost} B down, {call.Launches} launches, {call.Replays} replays, {call.Synchronizations} " +
            "waits"));
    }
    config.cuda_graphs = true;
}

void WholeTraining(CudaDevice device)
{
    var step = TrainingSteps.All().First(s => s.Name.StartsWith("05"));
    var (train, validate) = (step.Build("cuda"), step.BuildValidation("cuda"));
    var watch = Stopwatch.StartNew();
    for (var epoch = 0; epoch < 60; epoch++)
    {
        for (var i = 0; i < 83; i++) train(i);
        var error = 0.0;
        for (var i = 0; i < 16; i++) error += validate(i);
    }
    table.Add(("05 training loop, 60 epochs", $"{watch.Elapsed.TotalSeconds:F2} s (83 minibatches and 16 " +
        "validation batches an epoch, the cost and errors read back each call)"));
}
