using Theon.Backends.Cuda.Runtime;

namespace Theon.Tests.Cuda;

public class DeviceAvailabilityTests
{
    [Fact]
    public void Without_a_driver_the_reason_names_the_library_and_the_folders_searched()
    {
        Assert.SkipWhen(Backends.CudaUnavailableReason is null, "a CUDA device is present here");
        Assert.False(CudaDevice.TryGetDefault(out var device, out var reason));

        Assert.Null(device);
        Assert.Contains("libcuda.so.1", reason);
        Assert.Contains("/usr/lib/x86_64-linux-gnu", reason);
    }
}
