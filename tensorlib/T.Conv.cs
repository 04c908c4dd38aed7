using Theon.Ops;

namespace Theon;

public static partial class T
{
    public static partial class nnet
    {
        /// <summary>
        /// Theano's <c>nnet.conv2d</c>: a batch of images (batch, channels, rows, columns) convolved with filters
        /// (filters, channels, rows, columns). <paramref name="border_mode"/> is "valid", "full", "half", an int or a
        /// pair (pad_rows, pad_columns); <paramref name="filter_flip"/> false is cross-correlation. The shapes, where
        /// given (null for an unknown entry), are checked when the graph is built and at each call.
        /// </summary>
        public static Variable conv2d(Variable input, Variable filters, int?[]? input_shape = null,
            int?[]? filter_shape = null, object? border_mode = null, (int, int)? subsample = null,
            bool filter_flip = true, (int, int)? filter_dilation = null)
        {
            var settings = Conv2dSettings.Create(border_mode ?? "valid", subsample ?? (1, 1), filter_flip,
                filter_dilation ?? (1, 1), input_shape, filter_shape);
            return new AbstractConv2d(settings).MakeNode(input, filters).outputs[0];
        }
    }

    /// <summary>Theano's <c>tensor.signal</c>.</summary>
    public static class signal
    {
        /// <summary>Theano's <c>tensor.signal.pool</c>.</summary>
        public static class pool
        {
            /// <summary>
            /// Theano's <c>pool_2d</c> over the last two axes: <paramref name="mode"/> "max", "sum",
            /// "average_inc_pad" or "average_exc_pad"; <paramref name="stride"/> defaults to <paramref name="ws"/>.
            /// Unlike Theano 1.0 (which warns and uses False), <paramref name="ignore_border"/> defaults to true,
            /// the value Theano announced as its future default.
            /// </summary>
            public static Variable pool_2d(Variable input, (int, int) ws, bool ignore_border = true,
                (int, int)? stride = null, (int, int) pad = default, string mode = "max")
            {
                var s = stride ?? ws;
                return new Pool(ignore_border, mode).MakeNode(input, Pair(ws), Pair(s), Pair(pad)).outputs[0];
            }

            private static Constant Pair((int, int) p) => new(NDArray.FromArray(new long[] { p.Item1, p.Item2 }));
        }
    }
}
