using Theon.Ops;

namespace Theon;

public static partial class T
{
    /// <summary>Theano's <c>tensor.nnet</c>: the neural-network functions.</summary>
    public static partial class nnet
    {
        /// <summary>softmax along the last axis of a vector or of each row of a matrix.</summary>
        public static Variable softmax(Variable x) => Softmax.Op.MakeNode(x).outputs[0];

        public static Variable sigmoid(Variable x) => T.sigmoid(x);

        public static Variable softplus(Variable x) => T.softplus(x);

        public static Variable relu(Variable x) => T.relu(x);

        /// <summary>
        /// The cross-entropy of each row of <paramref name="coding_dist"/> (probabilities) against the true
        /// distribution: integer class labels (a vector), or one row of probabilities per example (a matrix).
        /// </summary>
        public static Variable categorical_crossentropy(Variable coding_dist, Variable true_dist)
        {
            if (true_dist.type.dtype.IsInteger)
            {
                if (coding_dist.ndim != 2 || true_dist.ndim != 1)
                    throw new ArgumentException($"categorical_crossentropy with integer labels takes a matrix of probabilities and a vector of labels, got {coding_dist.type} and {true_dist.type}.");
                return -log(coding_dist)[arange(true_dist.shape[0]), true_dist];
            }
            if (coding_dist.ndim != true_dist.ndim)
                throw new ArgumentException($"categorical_crossentropy: {coding_dist.type} and {true_dist.type} differ in dimensions.");
            return -sum(true_dist * log(coding_dist), axis: coding_dist.ndim - 1);
        }

        /// <summary>-(target * log(output) + (1 - target) * log(1 - output)), elementwise.</summary>
        public static Variable binary_crossentropy(Variable output, Variable target) =>
            -(target * log(output) + (1 - target) * log(1 - output));
    }
}
