using Theon.Backends.Cuda.Runtime;

namespace Theon.Tests.Cuda;

public class DeviceArrayTests
{
    [Fact]
    public void Contiguous_strides_are_row_major_with_zero_on_length_one_axes() =>
        Assert.Equal([12L, 0, 4, 1], DeviceArray.ContiguousStrides([2, 1, 3, 4]));
}
