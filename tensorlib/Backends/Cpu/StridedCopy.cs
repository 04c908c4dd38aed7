namespace Theon.Backends.Cpu;

/// <summary>Copies between arrays of one shape and dtype without allocating when both are contiguous.</summary>
internal static class StridedCopy
{
    public static void Into(NDArray destination, NDArray source)
    {
        if (destination.IsContiguous && source.IsContiguous && destination.DType == source.DType)
            Array.Copy(source.Buffer, source.Offset, destination.Buffer, destination.Offset, source.size);
        else
            destination.CopyFrom(source);
    }
}
