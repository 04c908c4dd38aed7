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

[Collection("GlobalConfig")]
public class CudaBackendSelectionTests
{
    [Fact]
    public void Asking_for_the_cuda_backend_without_a_driver_names_the_library_looked_for()
    {
        Assert.SkipWhen(Backends.CudaUnavailableReason is null, "a CUDA device is present here");
        var x = T.dvector("x");
        var error = Assert.ThrowsAny<Exception>(() => T.function([x], T.exp(x), backend: "cuda"));
        Assert.Contains("libcuda.so.1", error.Message);
    }

    [Fact]
    public void The_backend_setting_accepts_the_three_backends_and_names_them_when_refusing()
    {
        var before = T.config.backend;
        try
        {
            T.config.backend = "cuda";
            Assert.Equal("cuda", T.config.backend);
            var error = Assert.Throws<ArgumentException>(() => T.config.backend = "gpu");
            Assert.Contains("\"cuda\"", error.Message);
        }
        finally
        {
            T.config.backend = before;
        }
    }
}
