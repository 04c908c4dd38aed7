using System.Runtime.InteropServices;

namespace Theon.Backends.Cuda.Native;

/// <summary>One native library: its purpose and the sonames tried, newest first.</summary>
public sealed record NativeLibrarySpec(string Purpose, string WheelFolder, IReadOnlyList<string> FileNames)
{
    public static readonly NativeLibrarySpec Driver = new("CUDA driver", "", ["libcuda.so.1", "libcuda.so"]);
    public static readonly NativeLibrarySpec Nvrtc = new("NVRTC",
        "cuda_nvrtc", ["libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so.11.2", "libnvrtc.so"]);
    public static readonly NativeLibrarySpec Cublas = new("cuBLAS",
        "cublas", ["libcublas.so.13", "libcublas.so.12", "libcublas.so.11", "libcublas.so"]);
}

/// <summary>
/// Finds the CUDA libraries: CUDA_PATH, LD_LIBRARY_PATH, /usr/local/cuda*, the distribution's library folder and the
/// nvidia/*/lib folders of pip wheels (PyTorch ships NVRTC and cuBLAS that way), then the loader's own search by
/// soname. The environment and the file system are parameters so that tests can describe a machine.
/// </summary>
public sealed class LibraryResolver(Func<string, string?> environment, Func<string, bool> directoryExists,
    Func<string, IEnumerable<string>> subdirectories, Func<string, nint?> tryLoad)
{
    public static readonly LibraryResolver Default = new(Environment.GetEnvironmentVariable, Directory.Exists,
        SafeSubdirectories, path => NativeLibrary.TryLoad(path, out var handle) ? handle : null);

    /// <summary>
    /// The folders searched, in order, without duplicates; the loader's default search comes after them.
    /// </summary>
    public IReadOnlyList<string> SearchFolders(NativeLibrarySpec spec)
    {
        var folders = new List<string>();
        if (environment("CUDA_PATH") is { Length: > 0 } cudaPath)
            folders.AddRange([Path.Combine(cudaPath, "lib64"), Path.Combine(cudaPath, "lib"), cudaPath]);
        if (environment("LD_LIBRARY_PATH") is { Length: > 0 } ldPath)
            folders.AddRange(ldPath.Split(':', StringSplitOptions.RemoveEmptyEntries));
        folders.Add("/usr/local/cuda/lib64");
        folders.AddRange(subdirectories("/usr/local").Where(d => Path.GetFileName(d).StartsWith("cuda-",
            StringComparison.Ordinal))
            .Order(StringComparer.Ordinal).Reverse().Select(d => Path.Combine(d, "lib64")));
        folders.AddRange(["/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib/wsl/lib"]);
        if (spec.WheelFolder.Length > 0) folders.AddRange(WheelFolders(spec.WheelFolder));
        return [.. folders.Distinct(StringComparer.Ordinal).Where(directoryExists)];
    }

    private IEnumerable<string> WheelFolders(string package)
    {
        var sitePackages = new List<string>();
        if (environment("VIRTUAL_ENV") is { Length: > 0 } venv)
            sitePackages.AddRange(PythonSitePackages(Path.Combine(venv, "lib")));
        foreach (var prefix in new[] { "/usr/local/lib", "/usr/lib", "/opt/conda/lib" })
            sitePackages.AddRange(PythonSitePackages(prefix));
        if (environment("HOME") is { Length: > 0 } home) sitePackages.AddRange(PythonSitePackages(Path.Combine(home,
            ".local", "lib")));
        return sitePackages.Select(site => Path.Combine(site, "nvidia", package, "lib"));
    }

    private IEnumerable<string> PythonSitePackages(string libFolder) =>
        subdirectories(libFolder).Where(d => Path.GetFileName(d).StartsWith("python3", StringComparison.Ordinal))
            .SelectMany(d => new[] { Path.Combine(d, "site-packages"), Path.Combine(d, "dist-packages") });

    /// <summary>
    /// Loads the library or throws <see cref="CudaUnavailableException"/> naming every name and folder tried.
    /// </summary>
    public LoadedLibrary Load(NativeLibrarySpec spec)
    {
        var folders = SearchFolders(spec);
        foreach (var folder in folders)
        {
            foreach (var name in spec.FileNames)
            {
                var path = Path.Combine(folder, name);
                if (tryLoad(path) is { } handle) return new LoadedLibrary(spec, path, handle);
            }
        }
        foreach (var name in spec.FileNames)
        {
            if (tryLoad(name) is { } handle) return new LoadedLibrary(spec, $"{name} (found by the loader)", handle);
        }
        throw new CudaUnavailableException(
            $"CUDA was asked for, but the {spec.Purpose} library could not be loaded: looked for " +
            $"{string.Join(", ", spec.FileNames)} in " +
            $"{(folders.Count == 0 ? "no existing folder" : string.Join(", ", folders))} " +
            "and on the loader's default path. Set CUDA_PATH or LD_LIBRARY_PATH to the folder that holds it.");
    }

    private static IEnumerable<string> SafeSubdirectories(string folder)
    {
        try { return Directory.Exists(folder) ? Directory.GetDirectories(folder) : []; }
        catch (UnauthorizedAccessException) { return []; }
        catch (IOException) { return []; }
    }
}

/// <summary>A loaded native library and where it came from.</summary>
public sealed record LoadedLibrary(NativeLibrarySpec Spec, string Path, nint Handle)
{
    public nint Export(string name) => NativeLibrary.TryGetExport(Handle, name, out var address)
        ? address
        : throw new CudaUnavailableException($"{Spec.Purpose} library {Path} has no export {name}; it may be too old.");

    /// <summary>The export's address, or 0 where this version of the library lacks it.</summary>
    public nint TryExport(string name) => NativeLibrary.TryGetExport(Handle, name, out var address) ? address : 0;
}
