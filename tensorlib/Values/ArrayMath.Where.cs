using System.Numerics;

namespace Theon.Values;

internal static partial class ArrayMath
{
    /// <summary>numpy.where(cond, a, b): a where cond is nonzero, else b; the three broadcast together.</summary>
    public static NDArray Where(NDArray cond, NDArray a, NDArray b)
    {
        var dtype = DType.Upcast(a.DType, b.DType);
        var result = RowDrivers.Output(dtype, cond, a, b);
        var flags = Conversion.To(cond, DType.Bool).BroadcastTo(result.Dims);
        a = Conversion.To(a, dtype).BroadcastTo(result.Dims);
        b = Conversion.To(b, dtype).BroadcastTo(result.Dims);
        DTypeSwitch.Numeric<Select, bool>(dtype, new Select(flags, a, b, result));
        return result;
    }

    private readonly struct Select(NDArray flags, NDArray a, NDArray b, NDArray result) : INumericFunc<bool>
    {
        public bool Invoke<T>() where T : unmanaged, INumber<T>
        {
            var f = flags.Storage<byte>();
            var x = a.Storage<T>();
            var y = b.Storage<T>();
            var d = result.Storage<T>();
            var loop = new StridedLoop(result.Dims, [flags.Strides, a.Strides, b.Strides, result.Strides],
                [flags.Offset, a.Offset, b.Offset, result.Offset]);
            if (loop.IsEmpty)
                return true;
            var s = loop.InnerStrides;
            do
            {
                var o = loop.Offsets;
                for (var i = 0; i < loop.InnerLength; i++)
                    d[o[3] + i * s[3]] = f[o[0] + i * s[0]] != 0 ? x[o[1] + i * s[1]] : y[o[2] + i * s[2]];
            }
            while (loop.Next());
            return true;
        }
    }
}
