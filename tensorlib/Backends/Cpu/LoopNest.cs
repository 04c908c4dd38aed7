namespace Theon.Backends.Cpu;

/// <summary>
/// An allocation-free walk over operands of one shape in C order, one row of the innermost axis at a time.
/// Axes of length 1 are dropped and adjacent axes contiguous in every operand are merged, so contiguous operands
/// make one long row. The arrays are sized once, for the most operands and axes the kernel will see.
/// </summary>
internal sealed class LoopNest
{
    private readonly int operands;
    private readonly int[] outerShape;
    private readonly int[][] outerStrides;   // [axis][operand]
    private readonly int[] index;
    private readonly int[] start;
    private int outerCount;

    public LoopNest(int operands, int maxDims)
    {
        this.operands = operands;
        outerShape = new int[Math.Max(1, maxDims)];
        outerStrides = [.. Enumerable.Range(0, Math.Max(1, maxDims)).Select(_ => new int[operands])];
        index = new int[Math.Max(1, maxDims)];
        start = new int[operands];
        Offsets = new int[operands];
        InnerStrides = new int[operands];
    }

    /// <summary>The start of the current row in each operand's buffer.</summary>
    public int[] Offsets { get; }

    public int[] InnerStrides { get; }

    public int InnerLength { get; private set; }

    /// <summary>The number of rows (the product of the outer lengths).</summary>
    public long Rows { get; private set; }

    /// <summary>Sets up the walk; <paramref name="strides"/>[operand][axis] are element strides.</summary>
    public void Prepare(ReadOnlySpan<int> shape, int[][] strides, ReadOnlySpan<int> offsets)
    {
        var dims = 0;   // merged axes so far, the last one is the inner axis candidate
        var empty = false;
        InnerLength = 1;
        for (var axis = 0; axis < shape.Length; axis++)
        {
            var length = shape[axis];
            if (length == 0) empty = true;
            if (length == 1) continue;
            if (dims > 0 && CanMerge(axis, length, strides))
            {
                InnerLength *= length;
                for (var k = 0; k < operands; k++) InnerStrides[k] = strides[k][axis];
                continue;
            }
            if (dims > 0) Push(dims - 1);
            InnerLength = length;
            for (var k = 0; k < operands; k++) InnerStrides[k] = strides[k][axis];
            dims++;
        }
        outerCount = Math.Max(0, dims - 1);
        if (dims == 0)
            for (var k = 0; k < operands; k++) InnerStrides[k] = 0;
        Rows = empty ? 0 : 1;
        for (var a = 0; a < outerCount; a++) Rows *= outerShape[a];
        for (var k = 0; k < operands; k++) Offsets[k] = start[k] = offsets[k];
        Array.Clear(index);
        if (empty) InnerLength = 0;
    }

    // The current inner axis becomes outer axis number `slot`.
    private void Push(int slot)
    {
        outerShape[slot] = InnerLength;
        for (var k = 0; k < operands; k++) outerStrides[slot][k] = InnerStrides[k];
    }

    private bool CanMerge(int axis, int length, int[][] strides)
    {
        for (var k = 0; k < operands; k++)
        {
            if (InnerStrides[k] != strides[k][axis] * length) return false;
        }
        return true;
    }

    /// <summary>Back to the first row of the walk last prepared.</summary>
    public void Reset()
    {
        Array.Copy(start, Offsets, operands);
        Array.Clear(index);
    }

    /// <summary>Advances to the next row; false after the last one.</summary>
    public bool Next()
    {
        for (var axis = outerCount - 1; axis >= 0; axis--)
        {
            var strides = outerStrides[axis];
            if (++index[axis] < outerShape[axis])
            {
                for (var k = 0; k < operands; k++) Offsets[k] += strides[k];
                return true;
            }
            for (var k = 0; k < operands; k++) Offsets[k] -= strides[k] * (outerShape[axis] - 1);
            index[axis] = 0;
        }
        return false;
    }

    /// <summary>Writes the offsets of row <paramref name="row"/> into <paramref name="offsets"/> (for
    /// workers).</summary>
    public void OffsetsAt(long row, int[] offsets)
    {
        for (var k = 0; k < operands; k++) offsets[k] = start[k];
        for (var axis = outerCount - 1; axis >= 0; axis--)
        {
            var i = (int)(row % outerShape[axis]);
            row /= outerShape[axis];
            for (var k = 0; k < operands; k++) offsets[k] += i * outerStrides[axis][k];
        }
    }
}
