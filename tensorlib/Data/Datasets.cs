#pragma warning disable CS8981 // Theano-style lower-case names are the public contract
using Theon.Data;

namespace Theon;

/// <summary>Loaders for the data sets of the tutorials.</summary>
public static class Datasets
{
    private static readonly string[] Parts = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte",
        "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"];

    /// <summary>
    /// MNIST (or Fashion-MNIST) from the four IDX files in <paramref name="directory"/>, gzipped or plain
    /// (train-images-idx3-ubyte[.gz], also the train-images.idx3-ubyte spelling). x holds pixels scaled to
    /// [0, 1] with shape (n, rows * cols); y holds int32 labels. The last <paramref name="validation"/>
    /// training examples become the validation set.
    /// </summary>
    public static ((NDArray x, NDArray y) train, (NDArray x, NDArray y) valid, (NDArray x, NDArray y) test)
        load_mnist(string directory, int validation = 10_000, string dtype = "float64")
    {
        ArgumentNullException.ThrowIfNull(directory);
        var floatType = DType.Parse(dtype);
        if (!floatType.IsFloat)
            throw new ArgumentException($"load_mnist: dtype must be float32 or float64, got {dtype}", nameof(dtype));
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException($"load_mnist: directory '{directory}' does not exist");
        var (trainX, trainY) = LoadPair(directory, Parts[0], Parts[1], floatType);
        var (testX, testY) = LoadPair(directory, Parts[2], Parts[3], floatType);
        var n = trainX.shape[0];
        if (validation < 0 || validation >= n)
            throw new ArgumentOutOfRangeException(nameof(validation), validation,
                $"load_mnist: validation must be in [0, {n}) for {n} training examples");
        var split = n - validation;
        return ((trainX.Slice(0, 0, split), trainY.Slice(0, 0, split)),
            (trainX.Slice(0, split, n), trainY.Slice(0, split, n)),
            (testX, testY));
    }

    private static (NDArray X, NDArray Y) LoadPair(string directory, string imagesName, string labelsName, DType dtype)
    {
        var images = IdxFile.Read(Find(directory, imagesName), IdxFile.ImagesMagic);
        var labels = IdxFile.Read(Find(directory, labelsName), IdxFile.LabelsMagic);
        var (count, rows, cols) = (images.Dimensions[0], images.Dimensions[1], images.Dimensions[2]);
        if (labels.Dimensions[0] != count)
            throw new InvalidDataException(
                $"{labels.Path}: {labels.Dimensions[0]} labels for the {count} images of {images.Path}");
        var x = dtype == DType.Float32
            ? NDArray.Wrap(Scale(images.Data, b => (float)(b / 255.0)), count, rows * cols)
            : NDArray.Wrap(Scale(images.Data, b => b / 255.0), count, rows * cols);
        var y = NDArray.Wrap(labels.Data.Select(b => (int)b).ToArray(), count);
        return (x, y);
    }

    private static T[] Scale<T>(byte[] pixels, Func<byte, T> scale)
    {
        var table = Enumerable.Range(0, 256).Select(b => scale((byte)b)).ToArray();
        var result = new T[pixels.Length];
        for (var i = 0; i < pixels.Length; i++)
            result[i] = table[pixels[i]];
        return result;
    }

    private static string Find(string directory, string name)
    {
        var dotted = name.Replace("-idx", ".idx");
        string[] candidates = [name, name + ".gz", dotted, dotted + ".gz"];
        foreach (var candidate in candidates)
        {
            var path = Path.Combine(directory, candidate);
            if (File.Exists(path))
                return path;
        }
        throw new FileNotFoundException(
            $"load_mnist: none of {string.Join(", ", candidates)} exists in '{directory}'",
            Path.Combine(directory, name));
    }
}
