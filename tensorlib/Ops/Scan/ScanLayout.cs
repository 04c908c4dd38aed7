namespace Theon.Ops;

/// <summary>
/// How a <see cref="Scan"/> node's outer inputs and outputs and its inner graph's inputs and outputs line up.
/// Outer inputs: the number of steps, the sequences, one initial state per recurrent output (its taps' rows), the
/// non-sequences. Inner inputs: one row of each sequence, one value per tap of each recurrent output, the
/// non-sequences. Outputs: the recurrent outputs (initial rows followed by one row per step), then the outputs that
/// are not fed back (one row per step).
/// </summary>
/// <param name="Sequences">How many sequences (one outer tensor, one row a step, each).</param>
/// <param name="Taps">Per recurrent output, its taps in ascending order (all negative: -1 is the previous step).</param>
/// <param name="NotFedBack">How many outputs are not fed back (Theano's nit_sot).</param>
/// <param name="NonSequences">How many tensors every step reads whole.</param>
/// <param name="TruncateGradient">Steps back-propagation goes back through; -1 for all.</param>
/// <param name="FnName">The name debugprint shows (Theano's <c>name</c> argument, "scan_fn" by default).</param>
public sealed record ScanLayout(int Sequences, Seq<Seq<int>> Taps, int NotFedBack, int NonSequences,
    int TruncateGradient, string FnName)
{
    public int Recurrent => Taps.Count;

    /// <summary>
    /// The recurrent outputs (tap -1 only) whose output is their final state alone, not every step's row: the
    /// carries and accumulators of a gradient's scan, which only the final value of is read. The loop keeps one state
    /// buffer for them instead of a row per step.
    /// </summary>
    public Seq<int> LastOnly { get; init; } = Seq<int>.Empty;

    public bool KeepsLastOnly(int i) => LastOnly.Contains(i);

    /// <summary>
    /// Rows are visited last first: step t of n reads row n - 1 - t of each sequence and writes row n - 1 - t of each
    /// output not fed back (recurrent outputs keep their rows in the order the steps ran). A gradient's scan runs
    /// this way, so it reads the forward scan's rows in place and its rows line up with them, with no reversed view
    /// (which a reshape would have to copy) on either side.
    /// </summary>
    public bool LastRowFirst { get; init; }

    /// <summary>The sequence row that step <paramref name="t"/> of <paramref name="steps"/> reads (and the row it
    /// writes of each output not fed back).</summary>
    public int Row(int t, int steps) => LastRowFirst ? steps - 1 - t : t;

    /// <summary>The rows of initial state recurrent output <paramref name="i"/> needs: its deepest tap.</summary>
    public int InitialRows(int i) => -Taps[i][0];

    public int OuterInputCount => 1 + Sequences + Recurrent + NonSequences;

    public int InnerInputCount => Sequences + Taps.Sum(t => t.Count) + NonSequences;

    public int OutputCount => Recurrent + NotFedBack;

    public int FirstInit => 1 + Sequences;

    public int FirstOuterNonSequence => 1 + Sequences + Recurrent;

    /// <summary>The inner input of tap <paramref name="k"/> of recurrent output <paramref name="i"/>.</summary>
    public int InnerTap(int i, int k) => Sequences + Taps.Take(i).Sum(t => t.Count) + k;

    public int FirstInnerNonSequence => Sequences + Taps.Sum(t => t.Count);
}
