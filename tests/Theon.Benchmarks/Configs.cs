using System.Runtime.Intrinsics;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Theon.Benchmarks;

/// <summary>
/// In-process runs: TorchSharp's native libraries are loaded (and patched) once in this process instead of in
/// per-benchmark generated projects. Each benchmark call takes milliseconds, so in-process timing is accurate.
/// </summary>
internal abstract class ThroughputConfig : ManualConfig
{
    protected ThroughputConfig(IColumn throughput)
    {
        AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithWarmupCount(3).WithIterationCount(10));
        AddColumn(throughput);
        AddColumn(StatisticColumn.Median);
        WithOption(ConfigOptions.DisableOptimizationsValidator, false);
    }
}

internal sealed class GflopsConfig() : ThroughputConfig(new RateColumn("GFLOP/s",
    c => 2.0 * Math.Pow(Convert.ToDouble(c.Parameters["N"]), 3)));

internal sealed class BandwidthConfig() : ThroughputConfig(new RateColumn("GB/s",
    _ => 3.0 * sizeof(float) * StreamTriadBenchmarks.Length));

internal sealed class PeakConfig() : ThroughputConfig(new RateColumn("GFLOP/s",
    c => 2.0 * Vector512<float>.Count * FmaPeakBenchmarks.Chains * FmaPeakBenchmarks.Steps *
        Convert.ToDouble(c.Parameters["Threads"])));

internal sealed class FusedBandwidthConfig() : ThroughputConfig(new RateColumn("GB/s",
    c => (c.Descriptor.WorkloadMethod.Name == nameof(FusedElementwiseBenchmarks.Triad) ? 3.0 : 4.0) * sizeof(float) *
        FusedElementwiseBenchmarks.Length));

/// <summary>
/// Per-call time of small steps, in process, with the bytes allocated per call. The median and minimum are shown
/// beside the mean: on a shared VM a neighbour's burst slows some iterations by half.
/// </summary>
internal sealed class LatencyConfig : ManualConfig
{
    public LatencyConfig()
    {
        AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithWarmupCount(3).WithIterationCount(10));
        AddColumn(StatisticColumn.Median, StatisticColumn.Min);
        AddDiagnoser(BenchmarkDotNet.Diagnosers.MemoryDiagnoser.Default);
        WithOption(ConfigOptions.DisableOptimizationsValidator, false);
    }
}

/// <summary>Work per call (FLOPs or bytes) divided by the median time, in units of 1e9 per second.</summary>
internal sealed class RateColumn(string name, Func<BenchmarkCase, double> workPerCall) : IColumn
{
    public string Id => $"{nameof(RateColumn)}.{name}";
    public string ColumnName => name;
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => $"{name}: work per call / median time";
    public bool IsAvailable(Summary summary) => true;
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
        GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var statistics = summary[benchmarkCase]?.ResultStatistics;
        return statistics is null ? "NA" : (workPerCall(benchmarkCase) / statistics.Median).ToString("F1");
    }
}
