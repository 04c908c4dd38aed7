using Theon.Backends.Cuda.Native;

namespace Theon.Tests.Cuda;

public class LibraryResolverTests
{
    private static LibraryResolver Machine(Dictionary<string, string> environment, string[] folders,
        Func<string, nint?>? load = null) =>
        new(name => environment.GetValueOrDefault(name), folders.Contains,
            parent => folders.Where(f => Path.GetDirectoryName(f) == parent), load ?? (_ => null));

    [Fact]
    public void Nothing_found_names_every_file_and_folder_tried()
    {
        var resolver = Machine(new() { ["CUDA_PATH"] = "/opt/cuda" }, ["/opt/cuda/lib64", "/usr/lib/x86_64-linux-gnu"]);

        var e = Assert.Throws<CudaUnavailableException>(() => resolver.Load(NativeLibrarySpec.Nvrtc));

        Assert.Contains("NVRTC", e.Message);
        Assert.Contains("libnvrtc.so.12", e.Message);
        Assert.Contains("libnvrtc.so.11.2", e.Message);
        Assert.Contains("/opt/cuda/lib64", e.Message);
        Assert.Contains("/usr/lib/x86_64-linux-gnu", e.Message);
        Assert.Contains("CUDA_PATH", e.Message);
    }

    [Fact]
    public void Search_order_is_cuda_path_then_ld_library_path_then_the_usual_folders_then_wheels()
    {
        string[] folders =
        [
            "/opt/cuda/lib64", "/work/lib", "/usr/local/cuda/lib64", "/usr/local/cuda-12.4",
                "/usr/local/cuda-12.4/lib64",
            "/usr/lib/x86_64-linux-gnu", "/usr/local/lib/python3.11",
                "/usr/local/lib/python3.11/dist-packages/nvidia/cublas/lib",
        ];
        var resolver = Machine(new() { ["CUDA_PATH"] = "/opt/cuda", ["LD_LIBRARY_PATH"] = "/work/lib::/missing" },
            folders);

        Assert.Equal(
            ["/opt/cuda/lib64", "/work/lib", "/usr/local/cuda/lib64", "/usr/local/cuda-12.4/lib64",
                "/usr/lib/x86_64-linux-gnu",
             "/usr/local/lib/python3.11/dist-packages/nvidia/cublas/lib"],
            resolver.SearchFolders(NativeLibrarySpec.Cublas));
    }

    [Fact]
    public void The_first_folder_and_newest_soname_that_loads_wins()
    {
        var tried = new List<string>();
        var resolver = Machine([], ["/usr/local/cuda/lib64", "/usr/lib/x86_64-linux-gnu"], path =>
        {
            tried.Add(path);
            return path == "/usr/lib/x86_64-linux-gnu/libnvrtc.so.11.2" ? 42 : null;
        });

        var loaded = resolver.Load(NativeLibrarySpec.Nvrtc);

        Assert.Equal("/usr/lib/x86_64-linux-gnu/libnvrtc.so.11.2", loaded.Path);
        Assert.Equal(42, loaded.Handle);
        Assert.Equal("/usr/local/cuda/lib64/libnvrtc.so.13", tried[0]);
    }

    [Fact]
    public void The_loader_default_search_is_the_last_resort()
    {
        var resolver = Machine([], [], path => path == "libcuda.so.1" ? 7 : null);

        Assert.Equal("libcuda.so.1 (found by the loader)", resolver.Load(NativeLibrarySpec.Driver).Path);
    }
}
