namespace Theon;

public static partial class T
{
    /// <summary>Theano's global settings.</summary>
    public static partial class config
    {
        private static string floatXValue = "float64";
        private static string computeTestValue = "off";

        /// <summary>The dtype of <c>scalar</c>, <c>matrix</c>, ... and of C# double constants: "float64" (default) or "float32".</summary>
        public static string floatX
        {
            get => floatXValue;
            set => floatXValue = value is "float64" or "float32"
                ? value
                : throw new ArgumentException($"config.floatX must be \"float64\" or \"float32\", got \"{value}\".");
        }

        /// <summary>
        /// "off" (default), "ignore", "warn" or "raise": whether every new node computes a value from its inputs'
        /// <c>tag.test_value</c>, so a shape error shows up where the graph is built.
        /// </summary>
        public static string compute_test_value
        {
            get => computeTestValue;
            set => computeTestValue = value is "off" or "ignore" or "warn" or "raise"
                ? value
                : throw new ArgumentException($"config.compute_test_value must be \"off\", \"ignore\", \"warn\" or \"raise\", got \"{value}\".");
        }
    }
}
