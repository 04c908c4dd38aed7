using System.Runtime.InteropServices;
using System.Text;

namespace Theon.Backends.Cuda.Native;

/// <summary>NVRTC, the run-time CUDA C++ compiler: source in, PTX out. Needs no GPU and no driver.</summary>
internal sealed unsafe class Nvrtc
{
    private static readonly Lazy<Nvrtc> Instance = new(()
        => new Nvrtc(LibraryResolver.Default.Load(NativeLibrarySpec.Nvrtc)));

    public static Nvrtc Api => Instance.Value;

    /// <summary>Whether NVRTC can be loaded here; the reason when it cannot.</summary>
    public static bool TryLoad(out string? reason)
    {
        try
        {
            _ = Api;
            reason = null;
            return true;
        }
        catch (CudaUnavailableException e)
        {
            reason = e.Message;
            return false;
        }
    }

    public LoadedLibrary Library { get; }

    private readonly delegate* unmanaged<int*, int*, int> nvrtcVersion;
    private readonly delegate* unmanaged<nint*, byte*, byte*, int, byte**, byte**, int> nvrtcCreateProgram;
    private readonly delegate* unmanaged<nint, int, byte**, int> nvrtcCompileProgram;
    private readonly delegate* unmanaged<nint, nuint*, int> nvrtcGetProgramLogSize;
    private readonly delegate* unmanaged<nint, byte*, int> nvrtcGetProgramLog;
    private readonly delegate* unmanaged<nint, nuint*, int> nvrtcGetPTXSize;
    private readonly delegate* unmanaged<nint, byte*, int> nvrtcGetPTX;
    private readonly delegate* unmanaged<nint*, int> nvrtcDestroyProgram;
    private readonly delegate* unmanaged<int, byte*> nvrtcGetErrorString;

    private Nvrtc(LoadedLibrary library)
    {
        Library = library;
        nvrtcVersion = (delegate* unmanaged<int*, int*, int>)library.Export("nvrtcVersion");
        nvrtcCreateProgram = (delegate* unmanaged<nint*, byte*, byte*, int, byte**, byte**,
            int>)library.Export("nvrtcCreateProgram");
        nvrtcCompileProgram = (delegate* unmanaged<nint, int, byte**, int>)library.Export("nvrtcCompileProgram");
        nvrtcGetProgramLogSize = (delegate* unmanaged<nint, nuint*, int>)library.Export("nvrtcGetProgramLogSize");
        nvrtcGetProgramLog = (delegate* unmanaged<nint, byte*, int>)library.Export("nvrtcGetProgramLog");
        nvrtcGetPTXSize = (delegate* unmanaged<nint, nuint*, int>)library.Export("nvrtcGetPTXSize");
        nvrtcGetPTX = (delegate* unmanaged<nint, byte*, int>)library.Export("nvrtcGetPTX");
        nvrtcDestroyProgram = (delegate* unmanaged<nint*, int>)library.Export("nvrtcDestroyProgram");
        nvrtcGetErrorString = (delegate* unmanaged<int, byte*>)library.Export("nvrtcGetErrorString");
    }

    public (int Major, int Minor) Version
    {
        get
        {
            int major, minor;
            Check(nvrtcVersion(&major, &minor), "nvrtcVersion");
            return (major, minor);
        }
    }

    /// <summary>Compiles CUDA C++ to PTX; a compile error throws with NVRTC's log.</summary>
    public string CompileToPtx(string source, string name, IReadOnlyList<string> options)
    {
        using var utf8 = new Utf8Strings([source, name, .. options]);
        nint program;
        Check(nvrtcCreateProgram(&program, utf8[0], utf8[1], 0, null, null), "nvrtcCreateProgram");
        try
        {
            var result = nvrtcCompileProgram(program, options.Count, utf8.Pointers + 2);
            if (result != 0)
                throw new CudaException("NVRTC", "nvrtcCompileProgram", result, ErrorString(result),
                    $"{name}:\n{Log(program)}");
            nuint size;
            Check(nvrtcGetPTXSize(program, &size), "nvrtcGetPTXSize");
            var ptx = new byte[size];
            fixed (byte* p = ptx) Check(nvrtcGetPTX(program, p), "nvrtcGetPTX");
            return Encoding.UTF8.GetString(ptx, 0, Math.Max(0, (int)size - 1));
        }
        finally
        {
            nvrtcDestroyProgram(&program);
        }
    }

    private string Log(nint program)
    {
        nuint size;
        if (nvrtcGetProgramLogSize(program, &size) != 0) return "(no log)";
        var log = new byte[size];
        fixed (byte* p = log) if (nvrtcGetProgramLog(program, p) != 0) return "(no log)";
        return Encoding.UTF8.GetString(log, 0, Math.Max(0, (int)size - 1));
    }

    private void Check(int result, string call)
    {
        if (result != 0) throw new CudaException("NVRTC", call, result, ErrorString(result));
    }

    private string ErrorString(int result) => Marshal.PtrToStringUTF8((nint)nvrtcGetErrorString(result))
        ?? $"nvrtcResult {result}";
}

/// <summary>NUL-terminated UTF-8 copies of strings in unmanaged memory, with an array of pointers to them.</summary>
internal sealed unsafe class Utf8Strings : IDisposable
{
    public byte** Pointers { get; }
    private readonly int count;

    public Utf8Strings(IReadOnlyList<string> strings)
    {
        count = strings.Count;
        Pointers = (byte**)NativeMemory.AllocZeroed((nuint)Math.Max(1, count), (nuint)sizeof(byte*));
        for (var i = 0; i < count; i++) Pointers[i] = (byte*)Marshal.StringToCoTaskMemUTF8(strings[i]);
    }

    public byte* this[int i] => Pointers[i];

    public void Dispose()
    {
        for (var i = 0; i < count; i++) Marshal.FreeCoTaskMem((nint)Pointers[i]);
        NativeMemory.Free(Pointers);
    }
}
