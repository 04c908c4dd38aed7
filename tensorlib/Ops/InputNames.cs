namespace Theon.Ops;

/// <summary>How run-time errors of ops name their inputs: the variable's name, a short pp form, or its type.</summary>
internal static class InputNames
{
    private const int MaxPpLength = 60;

    public static string Describe(Variable v)
    {
        if (v.name is { } name) return name;
        var text = v.ToString();
        return text.Length <= MaxPpLength ? text : v.type.ToString();
    }

    /// <summary>Runs an indexing kernel, turning an out-of-range index into an error that names the inputs.</summary>
    public static TResult Indexing<TResult>(Apply node, Func<TResult> kernel)
    {
        try
        {
            return kernel();
        }
        catch (IndexOutOfRangeException e)
        {
            var indices = string.Join(", ", node.inputs.Skip(node.op is IInPlaceIncrement ? 2 : 1).Select(Describe));
            throw new ArgumentException($"{Describe(node.inputs[0])} indexed by {indices}: {e.Message}", e);
        }
    }
}
