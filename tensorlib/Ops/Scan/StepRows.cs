using static Theon.T;

namespace Theon.Ops;

/// <summary>
/// Every step's rows of a (steps, rows, k) tensor seen as one matrix, and the product over them: how the scan
/// rewrites turn a small product per step into one large one.
/// </summary>
internal static class StepRows
{
    /// <summary>(steps·rows, columns). The column count is given: with zero steps an output's rows may be (0, 0, 0),
    /// which has no -1 to infer.</summary>
    public static Variable Flat(Variable x, Variable columns) =>
        reshape(x, stack([mul(shape(x)[0], shape(x)[1]), columns]), 2);

    /// <summary><c>dot(x[t], w)</c> for every step t at once, as (steps, rows, w's columns).</summary>
    public static Variable Times(Variable x, Variable w) =>
        reshape(dot(Flat(x, shape(w)[0]), w), stack([shape(x)[0], shape(x)[1], shape(w)[1]]), 3);
}
