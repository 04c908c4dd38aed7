#pragma warning disable CS8981 // numpy's lower-case names are the public contract
using Theon.Values;

namespace Theon;

/// <summary>The numpy facade: <c>np.zeros(3, 4)</c>, <c>np.dot(a, b)</c>, <c>np.random.seed(0)</c>.</summary>
public static class np
{
    public static NDArray zeros(params int[] shape) => NDArray.Zeros(DType.Float64, shape);
    public static NDArray zeros(int[] shape, string dtype) => NDArray.Zeros(DType.Parse(dtype), shape);
    public static NDArray ones(params int[] shape) => NDArray.Full(1, DType.Float64, shape);
    public static NDArray ones(int[] shape, string dtype) => NDArray.Full(1, DType.Parse(dtype), shape);
    public static NDArray full(int[] shape, double value) => NDArray.Full(value, DType.Float64, shape);
    public static NDArray full(int[] shape, double value, string dtype) =>
        NDArray.Full(value, DType.Parse(dtype), shape);
    /// <summary>A float64 (or <paramref name="dtype"/>) matrix with ones on the k-th diagonal.</summary>
    public static NDArray eye(int n, int? m = null, int k = 0, string dtype = "float64")
    {
        var result = NDArray.Zeros(DType.Parse(dtype), n, m ?? n);
        for (var i = Math.Max(0, -k); i < n && i + k < (m ?? n); i++)
            result.SetItem(1, i, i + k);
        return result;
    }

    public static NDArray identity(int n, string dtype = "float64") => eye(n, dtype: dtype);

    /// <summary>
    /// numpy.linspace: num values from start to stop, computed as start + i * step, the last one exact.
    /// </summary>
    public static NDArray linspace(double start, double stop, int num = 50, bool endpoint = true)
    {
        if (num < 0)
            throw new ArgumentOutOfRangeException(nameof(num), num, "Number of samples must be non-negative");
        var div = endpoint ? num - 1 : num;
        var step = (stop - start) / div;
        var values = new double[num];
        for (var i = 0; i < num; i++)
            values[i] = div > 0 ? i * step + start : start;
        if (endpoint && num > 1)
            values[^1] = stop;
        return NDArray.Wrap(values, num);
    }

    public static NDArray zeros_like(NDArray a) => NDArray.Zeros(a.DType, a.shape);
    public static NDArray ones_like(NDArray a) => NDArray.Full(1, a.DType, a.shape);

    /// <summary>A new array copied from a C# array of any rank (double[,] gives a float64 matrix).</summary>
    public static NDArray array(Array values) => NDArray.FromArray(values);
    // Typed overloads settle the choice between Array and NDArray's implicit conversions.
    public static NDArray array(double[] values) => NDArray.FromArray(values);
    public static NDArray array(float[] values) => NDArray.FromArray(values);
    public static NDArray array(int[] values) => NDArray.FromArray(values);
    public static NDArray array(long[] values) => NDArray.FromArray(values);
    public static NDArray array(bool[] values) => NDArray.FromArray(values);
    public static NDArray array(byte[] values) => NDArray.FromArray(values);
    public static NDArray array(double[,] values) => NDArray.FromArray(values);
    public static NDArray array(float[,] values) => NDArray.FromArray(values);
    public static NDArray array(int[,] values) => NDArray.FromArray(values);
    public static NDArray array(long[,] values) => NDArray.FromArray(values);
    public static NDArray array(double[,,] values) => NDArray.FromArray(values);
    public static NDArray array(float[,,] values) => NDArray.FromArray(values);
    public static NDArray array(double[] values, string dtype) => NDArray.FromArray(values).astype(dtype);
    public static NDArray array(float[] values, string dtype) => NDArray.FromArray(values).astype(dtype);
    public static NDArray array(int[] values, string dtype) => NDArray.FromArray(values).astype(dtype);
    public static NDArray array(long[] values, string dtype) => NDArray.FromArray(values).astype(dtype);
    public static NDArray array(bool[] values, string dtype) => NDArray.FromArray(values).astype(dtype);
    public static NDArray array(byte[] values, string dtype) => NDArray.FromArray(values).astype(dtype);
    public static NDArray array(double[,] values, string dtype) => NDArray.FromArray(values).astype(dtype);
    public static NDArray array(float[,] values, string dtype) => NDArray.FromArray(values).astype(dtype);
    public static NDArray array(int[,] values, string dtype) => NDArray.FromArray(values).astype(dtype);
    public static NDArray array(long[,] values, string dtype) => NDArray.FromArray(values).astype(dtype);
    public static NDArray array(double[,,] values, string dtype) => NDArray.FromArray(values).astype(dtype);
    public static NDArray array(float[,,] values, string dtype) => NDArray.FromArray(values).astype(dtype);
    public static NDArray array(Array values, string dtype) => NDArray.FromArray(values).astype(dtype);
    public static NDArray array(NDArray values) => values.Copy();
    public static NDArray array(NDArray values, string dtype) => values.astype(dtype);
    public static NDArray array(double value) => NDArray.Scalar(value);
    public static NDArray array(long value) => NDArray.Scalar(value);
    public static NDArray array(int value) => NDArray.Scalar((long)value);
    public static NDArray array(bool value) => NDArray.Scalar(value);

    /// <summary>The array itself, or a new one from a C# array.</summary>
    public static NDArray asarray(NDArray values) => values;
    public static NDArray asarray(NDArray values, string dtype) =>
        values.DType == DType.Parse(dtype) ? values : values.astype(dtype);
    public static NDArray asarray(Array values) => NDArray.FromArray(values);
    public static NDArray asarray(double[] values) => NDArray.FromArray(values);
    public static NDArray asarray(float[] values) => NDArray.FromArray(values);
    public static NDArray asarray(int[] values) => NDArray.FromArray(values);
    public static NDArray asarray(long[] values) => NDArray.FromArray(values);
    public static NDArray asarray(bool[] values) => NDArray.FromArray(values);
    public static NDArray asarray(byte[] values) => NDArray.FromArray(values);
    public static NDArray asarray(double[,] values) => NDArray.FromArray(values);
    public static NDArray asarray(float[,] values) => NDArray.FromArray(values);
    public static NDArray asarray(int[,] values) => NDArray.FromArray(values);
    public static NDArray asarray(long[,] values) => NDArray.FromArray(values);
    public static NDArray asarray(double[,,] values) => NDArray.FromArray(values);
    public static NDArray asarray(float[,,] values) => NDArray.FromArray(values);

    public static NDArray arange(long stop) => arange(0, stop, 1);
    public static NDArray arange(long start, long stop, long step = 1) =>
        ArrayMath.Arange(start, stop, step, DType.Int64);
    public static NDArray arange(double stop) => arange(0.0, stop, 1.0);
    public static NDArray arange(double start, double stop, double step = 1.0) =>
        ArrayMath.Arange(start, stop, step, DType.Float64);
    public static NDArray arange(double start, double stop, double step, string dtype) =>
        ArrayMath.Arange(start, stop, step, DType.Parse(dtype));

    public static NDArray dot(NDArray a, NDArray b) => ArrayMath.Dot(a, b);
    public static NDArray sum(NDArray a, int? axis = null, bool keepdims = false) =>
        ArrayMath.Sum(a, Axes(axis), keepdims);
    public static NDArray mean(NDArray a, int? axis = null, bool keepdims = false) =>
        ArrayMath.Mean(a, Axes(axis), keepdims);
    public static NDArray max(NDArray a, int? axis = null, bool keepdims = false) =>
        ArrayMath.Max(a, Axes(axis), keepdims);
    public static NDArray min(NDArray a, int? axis = null, bool keepdims = false) =>
        ArrayMath.Min(a, Axes(axis), keepdims);
    public static NDArray prod(NDArray a, int? axis = null, bool keepdims = false) =>
        ArrayMath.Prod(a, Axes(axis), keepdims);
    public static NDArray argmax(NDArray a, int? axis = null) => ArrayMath.Argmax(a, axis, false);
    public static NDArray argmin(NDArray a, int? axis = null) => ArrayMath.Argmin(a, axis, false);

    private static int[]? Axes(int? axis) => axis is null ? null : [axis.Value];

    public static NDArray exp(NDArray a) => ArrayMath.Exp(a);
    public static NDArray log(NDArray a) => ArrayMath.Log(a);
    public static NDArray log1p(NDArray a) => ArrayMath.Log1p(a);
    public static NDArray tanh(NDArray a) => ArrayMath.Tanh(a);
    public static NDArray sqrt(NDArray a) => ArrayMath.Sqrt(a);
    public static NDArray square(NDArray a) => ArrayMath.Square(a);
    public static NDArray abs(NDArray a) => ArrayMath.Abs(a);
    public static NDArray negative(NDArray a) => ArrayMath.Negative(a);
    public static NDArray add(NDArray a, NDArray b) => ArrayMath.Add(a, b);
    public static NDArray subtract(NDArray a, NDArray b) => ArrayMath.Subtract(a, b);
    public static NDArray multiply(NDArray a, NDArray b) => ArrayMath.Multiply(a, b);
    public static NDArray divide(NDArray a, NDArray b) => ArrayMath.TrueDivide(a, b);
    public static NDArray power(NDArray a, NDArray b) => ArrayMath.Power(a, b);
    public static NDArray maximum(NDArray a, NDArray b) => ArrayMath.Maximum(a, b);
    public static NDArray minimum(NDArray a, NDArray b) => ArrayMath.Minimum(a, b);
    public static NDArray clip(NDArray a, NDArray lo, NDArray hi) => ArrayMath.Clip(a, lo, hi);
    public static NDArray where(NDArray condition, NDArray a, NDArray b) => ArrayMath.Where(condition, a, b);
    public static NDArray equal(NDArray a, NDArray b) => ArrayMath.Equal(a, b);
    public static NDArray not_equal(NDArray a, NDArray b) => ArrayMath.NotEqual(a, b);
    public static NDArray less(NDArray a, NDArray b) => ArrayMath.Less(a, b);
    public static NDArray greater(NDArray a, NDArray b) => ArrayMath.Greater(a, b);

    public static NDArray concatenate(IReadOnlyList<NDArray> arrays, int axis = 0) => ArrayMath.Concatenate(arrays, axis);
    public static NDArray stack(IReadOnlyList<NDArray> arrays, int axis = 0) => ArrayMath.Stack(arrays, axis);
    public static NDArray reshape(NDArray a, params int[] shape) => a.reshape(shape);
    public static NDArray transpose(NDArray a, params int[] axes) => a.transpose(axes);

    public static bool allclose(NDArray a, NDArray b, double rtol = 1e-5, double atol = 1e-8) =>
        a.AllClose(b, rtol, atol);

    /// <summary>True when the shapes are equal and every element is equal (numerically, across dtypes).</summary>
    public static bool array_equal(NDArray a, NDArray b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (!Shapes.SameShape(a.Dims, b.Dims))
            return false;
        var equal = ArrayMath.Equal(a, b).Span<byte>();
        return !equal.Contains((byte)0);
    }

    /// <summary>numpy.random: one process-wide legacy <see cref="RandomState"/>, locked as numpy locks it.</summary>
    public static class random
    {
        private static readonly RandomState State = new(5489);
        private static readonly Lock Gate = new();

        public static RandomState RandomState(long seed) => new(seed);

        public static void seed(long seed)
        {
            lock (Gate)
                State.seed(seed);
        }

        public static NDArray random_sample(params int[] size) => Draw(s => s.random_sample(size));
        public static NDArray rand(params int[] size) => Draw(s => s.rand(size));
        public static NDArray randn(params int[] size) => Draw(s => s.randn(size));
        public static NDArray standard_normal(params int[] size) => Draw(s => s.standard_normal(size));
        public static NDArray normal(double loc, double scale, params int[] size) =>
            Draw(s => s.normal(loc, scale, size));
        public static NDArray uniform(double low, double high, params int[] size) =>
            Draw(s => s.uniform(low, high, size));
        public static NDArray randint(long low, long high, params int[] size) => Draw(s => s.randint(low, high, size));
        public static NDArray permutation(int n) => Draw(s => s.permutation(n));
        public static NDArray permutation(NDArray x) => Draw(s => s.permutation(x));

        public static void shuffle(NDArray x) => Draw(s =>
        {
            s.shuffle(x);
            return x;
        });

        private static NDArray Draw(Func<Theon.RandomState, NDArray> draw)
        {
            lock (Gate)
                return draw(State);
        }
    }
}
