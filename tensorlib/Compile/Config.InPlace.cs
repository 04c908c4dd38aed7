namespace Theon;

public static partial class T
{
    public static partial class config
    {
        /// <summary>
        /// Whether an update <c>(W, inc_subtensor(W[idx], y))</c> or <c>set_subtensor</c> of W itself is written into
        /// W's buffer (default on), rather than computed as a new W and installed (Theano's
        /// <c>optimizer_excluding=inplace</c> turns its equivalent off). Read when a function is compiled.
        /// </summary>
        public static bool inplace_updates { get; set; } = true;
    }
}
