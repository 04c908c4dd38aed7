namespace Theon.Values;

/// <summary>
/// Walks several same-shaped strided operands in C order, one row of the innermost (coalesced) axis at a time.
/// Axes of size 1 are dropped and adjacent axes that are contiguous in every operand are merged, so a
/// contiguous or simply transposed operand yields long rows.
/// </summary>
internal sealed class StridedLoop
{
    private readonly int[] _outerShape;
    private readonly int[][] _outerStrides;
    private readonly int[] _index;

    public StridedLoop(int[] shape, int[][] strides, int[] offsets)
    {
        var operands = strides.Length;
        var dims = new List<int>();
        var merged = new List<int[]>();
        for (var axis = 0; axis < shape.Length; axis++)
        {
            if (shape[axis] == 1)
                continue;
            var axisStrides = new int[operands];
            for (var k = 0; k < operands; k++)
                axisStrides[k] = strides[k][axis];
            if (dims.Count > 0 && CanMerge(merged[^1], axisStrides, shape[axis]))
            {
                dims[^1] *= shape[axis];
                merged[^1] = axisStrides;
                continue;
            }
            dims.Add(shape[axis]);
            merged.Add(axisStrides);
        }
        IsEmpty = Shapes.Size(shape) == 0;
        Offsets = (int[])offsets.Clone();
        InnerStrides = new int[operands];
        if (dims.Count == 0)
        {
            InnerLength = 1;
            _outerShape = [];
            _outerStrides = [];
        }
        else
        {
            InnerLength = dims[^1];
            InnerStrides = merged[^1];
            _outerShape = dims.Take(dims.Count - 1).ToArray();
            _outerStrides = merged.Take(merged.Count - 1).ToArray();
        }
        _index = new int[_outerShape.Length];
    }

    private static bool CanMerge(int[] outer, int[] inner, int innerSize)
    {
        for (var k = 0; k < outer.Length; k++)
            if (outer[k] != inner[k] * innerSize)
                return false;
        return true;
    }

    public bool IsEmpty { get; }
    public int InnerLength { get; }
    public int[] InnerStrides { get; }
    /// <summary>The start of the current row in each operand's buffer.</summary>
    public int[] Offsets { get; }

    /// <summary>Advances to the next row; false after the last one.</summary>
    public bool Next()
    {
        for (var axis = _outerShape.Length - 1; axis >= 0; axis--)
        {
            var strides = _outerStrides[axis];
            if (++_index[axis] < _outerShape[axis])
            {
                for (var k = 0; k < Offsets.Length; k++)
                    Offsets[k] += strides[k];
                return true;
            }
            for (var k = 0; k < Offsets.Length; k++)
                Offsets[k] -= strides[k] * (_outerShape[axis] - 1);
            _index[axis] = 0;
        }
        return false;
    }
}
