namespace Theon;

/// <summary>
/// <c>config.compute_test_value</c>: when on, every new node computes its outputs from its inputs' test values,
/// so that a shape mistake raises on the line that built the node, with both shapes in the message.
/// </summary>
internal static class TestValues
{
    public static void Compute(Apply node)
    {
        var mode = T.config.compute_test_value;
        if (mode == "off") return;
        var values = new NDArray[node.inputs.Count];
        for (var i = 0; i < values.Length; i++)
        {
            if (node.inputs[i].tag.test_value is { } value)
            {
                values[i] = value;
                continue;
            }
            if (mode == "raise")
                throw new ArgumentException(
                    $"Cannot compute test value: input {i} ({node.inputs[i]}) of {node.op} has no test value. Set tag.test_value on the inputs, or set config.compute_test_value = \"off\".");
            if (mode == "warn") Console.Error.WriteLine($"Warning: input {i} ({node.inputs[i]}) of {node.op} has no test value.");
            return;
        }
        NDArray[] outputs;
        try
        {
            outputs = node.op.Perform(node, values);
        }
        catch (Exception e) when (e is ArgumentException or IndexOutOfRangeException or InvalidOperationException or InvalidCastException)
        {
            var shapes = string.Join(", ", values.Select(v => NDArray.ShapeString(v.shape)));
            var message = $"{node.op} failed on the test values of its inputs (shapes {shapes}): {e.Message}";
            if (mode == "raise") throw new ArgumentException(message, e);
            if (mode == "warn") Console.Error.WriteLine($"Warning: {message}");
            return;
        }
        for (var i = 0; i < outputs.Length; i++) node.outputs[i].tag.SetComputed(outputs[i]);
    }
}
