using System.Collections.Concurrent;
using Theon.Backends.Cuda.Native;

namespace Theon.Backends.Cuda.Codegen;

/// <summary>
/// Compiles CUDA C to PTX with NVRTC, caching the PTX by a hash of the source, the target architecture and the NVRTC
/// version: in memory for the process, and as files under <see cref="CacheFolder"/> across processes.
/// </summary>
public sealed class KernelCompiler(string? cacheFolder)
{
    private readonly ConcurrentDictionary<string, string> memory = new();

    public static readonly KernelCompiler Default = new(DefaultCacheFolder());

    /// <summary>Where compiled PTX is kept on disk; null keeps it in memory only.</summary>
    public string? CacheFolder { get; } = cacheFolder;

    public int Compilations { get; private set; }

    /// <summary>THEON_CUDA_CACHE, else $XDG_CACHE_HOME/theon/cuda, else ~/.cache/theon/cuda.</summary>
    public static string? DefaultCacheFolder()
    {
        if (Environment.GetEnvironmentVariable("THEON_CUDA_CACHE") is { Length: > 0 } explicitFolder)
            return explicitFolder;
        var root = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg
            ? xdg
            : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) is { Length: > 0 } home
                ? Path.Combine(home, ".cache")
                : null;
        return root is null ? null : Path.Combine(root, "theon", "cuda");
    }

    public static IReadOnlyList<string> Options(string architecture) =>
        [$"--gpu-architecture={architecture}", "--std=c++14", "-default-device"];

    /// <summary>The cache key: equal for the same source compiled the same way by the same NVRTC.</summary>
    public static string CacheKey(string source, string architecture, (int Major, int Minor) nvrtcVersion) =>
        KernelHash.Of(
            $"nvrtc {nvrtcVersion.Major}.{nvrtcVersion.Minor}\n{string.Join(" ", Options(architecture))}\n{source}");

    /// <summary>The PTX of <paramref name="source"/> for a virtual architecture such as compute_90.</summary>
    public string Ptx(string source, string architecture)
    {
        var nvrtc = Nvrtc.Api;
        var key = CacheKey(source, architecture, nvrtc.Version);
        return memory.GetOrAdd(key, _ => ReadDisk(key) ?? CompileAndStore(nvrtc, source, architecture, key));
    }

    private string? ReadDisk(string key)
    {
        if (CacheFolder is null) return null;
        var path = Path.Combine(CacheFolder, key + ".ptx");
        return File.Exists(path) ? File.ReadAllText(path) : null;
    }

    private string CompileAndStore(Nvrtc nvrtc, string source, string architecture, string key)
    {
        var ptx = nvrtc.CompileToPtx(source, $"theon_{key[..12]}.cu", Options(architecture));
        Compilations++;
        if (CacheFolder is null) return ptx;
        try
        {
            Directory.CreateDirectory(CacheFolder);
            // Written under a temporary name and moved, so that a concurrent reader never sees half a file.
            var temporary = Path.Combine(CacheFolder, $"{key}.{Environment.ProcessId}.tmp");
            File.WriteAllText(temporary, ptx);
            File.Move(temporary, Path.Combine(CacheFolder, key + ".ptx"), overwrite: true);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return ptx;
    }
}
