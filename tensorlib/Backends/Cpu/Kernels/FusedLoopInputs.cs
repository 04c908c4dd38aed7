using Theon.Ops;
using Theon.Backends.Cpu.Fusion;

namespace Theon.Backends.Cpu;

/// <summary>
/// The inputs of a generated elementwise loop, shared by the kernels that run one: binds their arrays, offsets and
/// strides into a loop nest (operand 0 is the destination, input k is operand k + 1), and picks the loop compiled for
/// the inner strides the nest settled on, compiling each combination of input modes once.
/// </summary>
internal sealed class FusedLoopInputs<T>(ScalarExpr body, int count) where T : unmanaged
{
    private readonly InputMode[] modes = new InputMode[count];
    private readonly bool[] checkNaN = new bool[count];
    private readonly Dictionary<ulong, FusedLoop<T>> loops = [];

    public T[][] Arrays { get; } = new T[count][];

    /// <summary>Whether any input is checked for NaN as the loops read it.</summary>
    public bool ChecksNaN { get; private set; }

    /// <summary>Loops selected from now on also report a NaN read from input <paramref name="input"/>.</summary>
    public void CheckNaN(int input) => ChecksNaN = checkNaN[input] = true;

    /// <summary>A length-1 axis gets stride 0, so the input broadcasts along it.</summary>
    public void Bind(Frame frame, int[] inputSlots, int[] offsets, int[][] strides)
    {
        for (var k = 0; k < inputSlots.Length; k++)
        {
            var x = frame.Input(inputSlots[k]);
            Arrays[k] = (T[])x.Buffer;
            offsets[k + 1] = x.Offset;
            var axes = strides[k + 1];
            for (var axis = 0; axis < axes.Length; axis++) axes[axis] = x.Dims[axis] == 1 ? 0 : x.Strides[axis];
        }
    }

    public FusedLoop<T> Select(LoopNest loop)
    {
        // Six states an input (three modes, checked or not): the key is exact up to 24 inputs; wider loops skip this
        // cache and use the compiler's.
        var key = 0UL;
        for (var k = 0; k < modes.Length; k++)
        {
            var stride = loop.InnerStrides[k + 1];
            modes[k] = stride == 0 ? InputMode.Broadcast : stride == 1 ? InputMode.Contiguous : InputMode.Strided;
            key = key * 6 + (ulong)modes[k] + (checkNaN[k] ? 3UL : 0UL);
        }
        if (modes.Length > 24) return LoopCompiler.Get<T>(body, modes, checkNaN);
        if (!loops.TryGetValue(key, out var fused)) loops[key] = fused = LoopCompiler.Get<T>(body, modes, checkNaN);
        return fused;
    }
}
