using System.Buffers.Binary;
using System.IO.Compression;

namespace Theon.Data;

/// <summary>An IDX file (the MNIST container): a big-endian magic number, dimensions, then unsigned bytes.</summary>
internal sealed record IdxFile(string Path, int[] Dimensions, byte[] Data)
{
    public const int ImagesMagic = 2051;
    public const int LabelsMagic = 2049;

    /// <summary>Reads a plain or gzipped (by its .gz name) IDX file of unsigned bytes and checks its size.</summary>
    public static IdxFile Read(string path, int expectedMagic)
    {
        var bytes = ReadAllBytes(path);
        if (bytes.Length < 4)
            throw Invalid(path, $"it has {bytes.Length} bytes, too few for the 4-byte magic number");
        var magic = BinaryPrimitives.ReadInt32BigEndian(bytes);
        if (magic != expectedMagic)
            throw Invalid(path, $"magic number {magic}, expected {expectedMagic} " +
                (expectedMagic == ImagesMagic ? "(an idx3-ubyte image file)" : "(an idx1-ubyte label file)"));
        var rank = expectedMagic & 0xff;
        var header = 4 + 4 * rank;
        if (bytes.Length < header)
            throw Invalid(path, $"it has {bytes.Length} bytes, too few for a header of {rank} dimensions");
        var dims = new int[rank];
        long count = 1;
        for (var i = 0; i < rank; i++)
        {
            dims[i] = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4 + 4 * i));
            if (dims[i] < 0)
                throw Invalid(path, $"dimension {i} is negative ({dims[i]})");
            count *= dims[i];
        }
        if (bytes.Length - header != count)
            throw Invalid(path, $"the header announces {string.Join(" x ", dims)} = {count} bytes of data, " +
                $"but the file holds {bytes.Length - header} (truncated or wrong file)");
        return new IdxFile(path, dims, bytes[header..]);
    }

    private static byte[] ReadAllBytes(string path)
    {
        if (!path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
            return File.ReadAllBytes(path);
        try
        {
            using var file = File.OpenRead(path);
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            using var memory = new MemoryStream();
            gzip.CopyTo(memory);
            return memory.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw Invalid(path, $"it is not a valid gzip stream ({e.Message})");
        }
        catch (EndOfStreamException e)
        {
            throw Invalid(path, $"the gzip stream is truncated ({e.Message})");
        }
    }

    private static InvalidDataException Invalid(string path, string what) =>
        new($"{path}: not a valid IDX file: {what}");
}
