using System.Buffers.Binary;
using System.IO.Compression;

namespace Theon.Tests.Data;

public sealed class DatasetsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("theon-mnist-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static byte[] Idx(int magic, int[] dims, byte[] data)
    {
        var bytes = new byte[4 + 4 * dims.Length + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        for (var i = 0; i < dims.Length; i++)
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), dims[i]);
        data.CopyTo(bytes, 4 + 4 * dims.Length);
        return bytes;
    }

    private void Write(string name, byte[] bytes, bool gzip)
    {
        var path = Path.Combine(_directory, gzip ? name + ".gz" : name);
        if (!gzip)
        {
            File.WriteAllBytes(path, bytes);
            return;
        }
        using var file = File.Create(path);
        using var stream = new GZipStream(file, CompressionLevel.Fastest);
        stream.Write(bytes);
    }

    /// <summary>n images of 28x28 where image i is filled with the value i and its label is i % 10.</summary>
    private void WriteSet(string prefix, int n, bool gzip)
    {
        var pixels = new byte[n * 784];
        for (var i = 0; i < n; i++)
            pixels.AsSpan(i * 784, 784).Fill((byte)(i * 5));
        var labels = Enumerable.Range(0, n).Select(i => (byte)(i % 10)).ToArray();
        Write(prefix + "-images-idx3-ubyte", Idx(2051, [n, 28, 28], pixels), gzip);
        Write(prefix + "-labels-idx1-ubyte", Idx(2049, [n], labels), gzip);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void LoadsGzippedAndPlainFilesAndSplitsValidation(bool gzip)
    {
        WriteSet("train", 12, gzip);
        WriteSet("t10k", 4, gzip);
        var ((trainX, trainY), (validX, validY), (testX, testY)) = Datasets.load_mnist(_directory, validation: 5);
        Assert.Equal(new[] { 7, 784 }, trainX.shape);
        Assert.Equal("float64", trainX.dtype);
        Assert.Equal(new[] { 7 }, trainY.shape);
        Assert.Equal("int32", trainY.dtype);
        Assert.Equal(new[] { 5, 784 }, validX.shape);
        Assert.Equal(new[] { 7, 8, 9, 0, 1 }, validY.ToFlatArray<int>());
        Assert.Equal(new[] { 4, 784 }, testX.shape);
        Assert.Equal(new[] { 0, 1, 2, 3 }, testY.ToFlatArray<int>());
        Assert.Equal(7 * 5 / 255.0, validX.GetItem<double>(0, 783), 15);
        Assert.Equal(55 / 255.0, (double)np.max(validX));
    }

    [Fact]
    public void Float32PixelsOnRequest()
    {
        WriteSet("train", 3, false);
        WriteSet("t10k", 2, false);
        var (train, _, _) = Datasets.load_mnist(_directory, validation: 1, dtype: "float32");
        Assert.Equal("float32", train.x.dtype);
        Assert.Throws<ArgumentException>(() => Datasets.load_mnist(_directory, validation: 1, dtype: "int32"));
    }

    [Fact]
    public void TruncatedFileIsRejectedByName()
    {
        WriteSet("train", 3, true);
        WriteSet("t10k", 2, false);
        var path = Path.Combine(_directory, "t10k-images-idx3-ubyte");
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^10]);
        var e = Assert.Throws<InvalidDataException>(() => Datasets.load_mnist(_directory, validation: 1));
        Assert.Contains("t10k-images-idx3-ubyte", e.Message);
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void WrongMagicAndMismatchedCountsAreRejected()
    {
        WriteSet("train", 3, false);
        WriteSet("t10k", 2, false);
        Write("t10k-labels-idx1-ubyte", Idx(2051, [2, 1, 1], [1, 2]), false);
        var e = Assert.Throws<InvalidDataException>(() => Datasets.load_mnist(_directory, validation: 1));
        Assert.Contains("t10k-labels-idx1-ubyte", e.Message);
        Assert.Contains("magic number 2051, expected 2049", e.Message);
        Write("t10k-labels-idx1-ubyte", Idx(2049, [3], [1, 2, 3]), false);
        e = Assert.Throws<InvalidDataException>(() => Datasets.load_mnist(_directory, validation: 1));
        Assert.Contains("3 labels for the 2 images", e.Message);
    }

    [Fact]
    public void CorruptGzipAndMissingFilesAreClear()
    {
        WriteSet("train", 3, false);
        File.WriteAllBytes(Path.Combine(_directory, "t10k-images-idx3-ubyte.gz"), [1, 2, 3, 4, 5]);
        Write("t10k-labels-idx1-ubyte", Idx(2049, [1], [1]), false);
        var e = Assert.Throws<InvalidDataException>(() => Datasets.load_mnist(_directory, validation: 1));
        Assert.Contains("t10k-images-idx3-ubyte.gz", e.Message);
        File.Delete(Path.Combine(_directory, "t10k-images-idx3-ubyte.gz"));
        var missing = Assert.Throws<FileNotFoundException>(() => Datasets.load_mnist(_directory, validation: 1));
        Assert.Contains("t10k-images-idx3-ubyte", missing.Message);
        WriteSet("t10k", 1, false);
        Assert.Throws<ArgumentOutOfRangeException>(() => Datasets.load_mnist(_directory, validation: 3));
        Assert.Throws<DirectoryNotFoundException>(() => Datasets.load_mnist(Path.Combine(_directory, "nope")));
    }

    [Fact]
    public void LoadsDebianFashionMnistWhenInstalled()
    {
        const string directory = "/usr/share/datasets/fashion-mnist";
        Assert.SkipUnless(Directory.Exists(directory), "dataset-fashion-mnist is not installed");
        var ((trainX, trainY), (validX, _), (testX, testY)) = Datasets.load_mnist(directory, validation: 10_000);
        Assert.Equal(new[] { 50_000, 784 }, trainX.shape);
        Assert.Equal(new[] { 10_000, 784 }, validX.shape);
        Assert.Equal(new[] { 10_000, 784 }, testX.shape);
        Assert.Equal(50_000 + 10_000, trainY.size + 10_000);
        Assert.Equal(10_000, testY.size);
        Assert.Equal(1.0, (double)np.max(trainX));
        Assert.Equal(0.0, (double)np.min(testX));
        Assert.Equal(9L, (long)np.max(testY));
    }
}
