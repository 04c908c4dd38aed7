using Theon.Backends.Cpu.Fusion;
using Theon.Ops;
using Theon.Tests.Cuda;

namespace Theon.Tests.CpuBackend;

/// <summary>The CPU backend's scalar code table: one row per scalar op, no op without one.</summary>
public class LoopCodeTests
{
    [Fact]
    public void Every_scalar_op_record_has_a_row() =>
        Assert.All(ScalarCodeTests.AllScalarOps(), op =>
            Assert.True(LoopCode.HasRow.Contains(op.GetType()), $"no CPU loop row for {op.GetType().Name}"));

    [Theory]
    [InlineData("float64", true)]
    [InlineData("int64", false)]
    [InlineData("int32", false)]
    public void True_division_fuses_in_float_loops_only(string dtype, bool fuses) =>
        Assert.Equal(fuses, LoopCode.Supports(TrueDiv.Op, DType.Parse(dtype)));

    [Fact]
    public void Ops_with_a_row_that_declines_are_not_fused() =>
        Assert.False(LoopCode.Supports(Compare.Lt, DType.Float64));
}
