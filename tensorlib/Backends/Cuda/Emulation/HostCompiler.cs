using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using Theon.Backends.Cuda.Codegen;
using Theon.Backends.Cuda.Native;
using Theon.Backends.Cuda.Runtime;

namespace Theon.Backends.Cuda.Emulation;

/// <summary>
/// Compiles generated CUDA C for the CPU: g++ with one-thread definitions of the CUDA built-ins (blockIdx = 0,
/// blockDim = gridDim = 1, so every grid-stride and block loop visits everything once), and for each kernel a C entry
/// <c>emulate_name(void** args)</c> that unpacks the same <see cref="KernelArguments"/> cuLaunchKernel receives. Each
/// source is compiled once per process. What this cannot show is parallel behaviour (block trees, atomics under
/// contention, grid sizing).
/// </summary>
public static partial class HostCompiler
{
    private const string Shim = """
        #include <cmath>
        #include <cstring>
        #include <math.h>
        #define __global__
        #define __device__
        #define __forceinline__ inline
        #define __restrict__ __restrict
        #define __shared__ static
        struct theon_dim3 { unsigned x, y, z; };
        static const theon_dim3 threadIdx = {0, 0, 0}, blockIdx = {0, 0, 0}, blockDim = {1, 1, 1}, gridDim = {1, 1, 1};
        static inline void __syncthreads() {}
        static inline float __int_as_float(unsigned v) { float f; std::memcpy(&f, &v, 4); return f; }
        static inline double __longlong_as_double(unsigned long long v) { double d; std::memcpy(&d, &v, 8); return d; }
        template <typename T> static inline T atomicAdd(T* p, T v) { T old = *p; *p += v; return old; }
        template <typename T> static inline T atomicMax(T* p, T v) { T old = *p; if (v > old) *p = v; return old; }
        static inline unsigned long long atomicCAS(unsigned long long* p, unsigned long long c, unsigned long long v)
        { unsigned long long old = *p; if (old == c) *p = v; return old; }
        """;

    /// <summary>Why g++ cannot be used here, or null when it can.</summary>
    public static string? Unavailable => Missing.Value;

    private static readonly Lazy<string?> Missing = new(() =>
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("g++",
                "--version") { RedirectStandardOutput = true });
            process!.WaitForExit();
            return process.ExitCode == 0 ? null : "g++ --version failed";
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return e.Message;
        }
    });

    private static readonly Dictionary<string, nint> Libraries = [];

    /// <summary>Calls kernel <paramref name="name"/> of <paramref name="source"/> once with the given
    /// arguments.</summary>
    public static unsafe void Run(string source, string name, KernelArguments arguments) =>
        ((delegate* unmanaged[Cdecl]<nint, void>)Entry(source, name))(arguments.Address);

    /// <summary>The C entry <c>emulate_name(void** args)</c> of kernel <paramref name="name"/>, compiled
    /// once.</summary>
    public static nint Entry(string source, string name)
    {
        if (Missing.Value is { } reason)
            throw new CudaUnavailableException($"the CUDA emulation compiles kernels with g++, which is not " +
                $"available: {reason}");
        return NativeLibrary.GetExport(Load(source), "emulate_" + name);
    }

    private static nint Load(string source)
    {
        var key = KernelHash.Of(source);
        lock (Libraries)
        {
            if (Libraries.TryGetValue(key, out var loaded)) return loaded;
            var folder = Directory.CreateTempSubdirectory("theon-emulation-").FullName;
            var (code, library) = (Path.Combine(folder, "kernel.cpp"), Path.Combine(folder, "kernel.so"));
            File.WriteAllText(code, Shim + "\n" + source + "\n" + Wrappers(source));
            using var process = Process.Start(new ProcessStartInfo("g++", $"-O1 -shared -fPIC -o {library} {code}")
            {
                RedirectStandardError = true,
            })!;
            var errors = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"g++ rejected the generated source:\n{errors}");
            Libraries[key] = NativeLibrary.Load(library);
            Directory.Delete(folder, recursive: true);   // a loaded library stays mapped after its file is removed
            return Libraries[key];
        }
    }

    [GeneratedRegex(@"extern ""C"" __global__ void (\w+)\(([^)]*)\)", RegexOptions.Singleline)]
    private static partial Regex KernelSignature();

    // emulate_<name>(void** args) calls the kernel with each argument read through its pointer, as the driver does.
    private static string Wrappers(string source)
    {
        var code = new StringBuilder();
        foreach (Match m in KernelSignature().Matches(source))
        {
            var args = m.Groups[2].Value.Split(',').Select((p, i) => $"*({TypeOf(p)}*)args[{i}]");
            var name = m.Groups[1].Value;
            code.AppendLine($"extern \"C\" void emulate_{name}(void** args) {{ {name}({string.Join(", ", args)}); }}");
        }
        return code.ToString();
    }

    // "const float* __restrict__ in0" -> "const float*"; "long long n" -> "long long"; "X_layout layout" -> "X_layout".
    private static string TypeOf(string parameter)
    {
        var words = parameter.Replace("__restrict__", "").Trim();
        return words[..^Regex.Match(words, @"(\w+)$").Value.Length].Trim();
    }
}
