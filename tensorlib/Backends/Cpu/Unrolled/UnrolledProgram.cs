using System.Linq.Expressions;
using System.Reflection;

namespace Theon.Backends.Cpu.Unrolled;

/// <summary>
/// A small graph compiled, for the input shapes of one recorded run, into one method of straight-line scalar code: no
/// per-node dispatch, no loops, views and shape arithmetic resolved at compile time, intermediate values in locals.
/// It writes the function's results into the same planned buffers as the kernels do and runs whenever every graph
/// input again has the recorded shape and is C-contiguous; any other call runs the kernels.
/// </summary>
internal sealed class UnrolledProgram
{
    private static readonly PropertyInfo BufferProperty =
        typeof(NDArray).GetProperty(nameof(NDArray.Buffer), BindingFlags.NonPublic | BindingFlags.Instance)!;

    private static readonly PropertyInfo OffsetProperty =
        typeof(NDArray).GetProperty(nameof(NDArray.Offset), BindingFlags.NonPublic | BindingFlags.Instance)!;

    private readonly Func<NDArray[], bool> run;
    private readonly int[] guarded;   // graph inputs that are not constants
    private readonly int[][] shapes;  // [graph input], as recorded
    private readonly NDArray?[] lastAccepted;

    private UnrolledProgram(Func<NDArray[], bool> run, int[] guarded, int[][] shapes, NDArray[] results)
    {
        this.run = run;
        this.guarded = guarded;
        this.shapes = shapes;
        lastAccepted = new NDArray?[shapes.Length];
        Results = results;
    }

    /// <summary>The arrays the program writes the function's results into (the planned result buffers).</summary>
    public NDArray[] Results { get; }

    /// <summary>True when every graph input has the recorded shape and is C-contiguous.</summary>
    public bool Accepts(NDArray[] inputs)
    {
        foreach (var g in guarded)
        {
            var x = inputs[g];
            if (ReferenceEquals(x, lastAccepted[g])) continue;   // arrays never change shape
            if (!x.IsContiguous || !x.Dims.AsSpan().SequenceEqual(shapes[g])) return false;
            lastAccepted[g] = x;
        }
        return true;
    }

    /// <summary>True when every graph input has the recorded shape.</summary>
    public bool BuiltFor(NDArray[] inputs)
    {
        foreach (var g in guarded)
        {
            if (!inputs[g].Dims.AsSpan().SequenceEqual(shapes[g])) return false;
        }
        return true;
    }

    /// <summary>Computes the results; true when an input it checks for NaN held one.</summary>
    public bool Run(NDArray[] inputs) => run(inputs);

    /// <summary>
    /// Follows one run of the kernels node by node (static values are read right after their node ran, before the
    /// memory plan reuses the buffer) and builds the program for its shapes. It gives up when a node has no unrolled
    /// form or the code would take more than the allowed number of scalar operations.
    /// </summary>
    internal sealed class Builder
    {
        private readonly ParameterExpression inputs = Expression.Parameter(typeof(NDArray[]), "inputs");
        private readonly ParameterExpression nan = Expression.Variable(typeof(bool), "nan");
        private readonly Frame frame;
        private readonly IReadOnlyList<Variable> graphInputs;
        private readonly int[] graphInputSlots;
        private readonly IReadOnlySet<int> checkNaN;
        private readonly Unroller u;
        private readonly Dictionary<int, NodeKernel> producer = [];
        private bool failed;

        /// <summary>Starts once the graph inputs of the run are in <paramref name="frame"/>.</summary>
        public Builder(Frame frame, IReadOnlyList<Variable> graphInputs, int[] graphInputSlots,
            IReadOnlySet<int> checkNaN, int maxOperations)
        {
            (this.frame, this.graphInputs, this.graphInputSlots, this.checkNaN) =
                (frame, graphInputs, graphInputSlots, checkNaN);
            var graphInputOf = new Dictionary<int, int>();
            for (var g = 0; g < graphInputSlots.Length; g++) graphInputOf[graphInputSlots[g]] = g;
            u = new Unroller(frame.Values, slot => graphInputOf.TryGetValue(slot, out var g) ? Load(g, slot) : null,
                maxOperations);
            for (var g = 0; g < graphInputs.Count; g++)
            {
                if (graphInputs[g] is Constant && !u.DefineStatic(graphInputSlots[g])) failed = true;
            }
        }

        /// <summary>Adds a node right after its kernel ran.</summary>
        public void Add(NodeSlots node, NodeKernel kernel)
        {
            if (failed) return;
            foreach (var slot in node.Outputs) producer[slot] = kernel;
            failed = node.Inputs.All(u.IsStatic) ? !node.Outputs.All(u.DefineStatic) : !kernel.Unroll(u);
        }

        /// <summary>The program, or null when it gave up or a result is not a planned buffer.</summary>
        public UnrolledProgram? Finish(int[] resultSlots)
        {
            // An input the program must check for NaN is loaded (and checked) even where no node read it.
            if (failed || checkNaN.Any(slot => u.Elements(slot) is null)) return null;
            var values = frame.Values;
            foreach (var slot in resultSlots)
            {
                if (!producer.TryGetValue(slot, out var kernel) || !kernel.WritesPlannedOutputs) return null;
                var (result, elements) = (values[slot]!, u.Elements(slot)!);
                for (var i = 0; i < elements.Length; i++)
                    u.Code.Add(Expression.Assign(Expression.ArrayAccess(Expression.Constant(result.Buffer),
                        Expression.Constant(result.Offset + i)), elements[i]));
            }
            u.Code.Add(nan);
            var body = Expression.Block([nan, .. u.Locals], u.Code);
            var guarded = Enumerable.Range(0, graphInputs.Count).Where(g => graphInputs[g] is not Constant).ToArray();
            return new UnrolledProgram(Expression.Lambda<Func<NDArray[], bool>>(body, inputs).Compile(), guarded,
                [.. graphInputSlots.Select(s => values[s]!.shape)], [.. resultSlots.Select(s => values[s]!)]);
        }

        /// <summary>Loads a float graph input's elements into locals, checking them for NaN when asked to.</summary>
        private Expression[]? Load(int graphInput, int slot)
        {
            var value = frame.Values[slot]!;
            if (!value.DType.IsFloat || !u.Spend(value.size)) return null;
            var arrayType = value.DType.ClrType.MakeArrayType();
            var input = Expression.ArrayIndex(inputs, Expression.Constant(graphInput));
            var buffer = u.Assign(Expression.Convert(Expression.Property(input, BufferProperty), arrayType));
            var offset = u.Assign(Expression.Property(input, OffsetProperty));
            var elements = new Expression[value.size];
            for (var i = 0; i < elements.Length; i++)
            {
                var element = u.Assign(Expression.ArrayIndex(buffer, Expression.Add(offset, Expression.Constant(i))));
                if (checkNaN.Contains(slot)) u.Code.Add(Expression.OrAssign(nan, Expression.NotEqual(element, element)));
                elements[i] = element;
            }
            return elements;
        }
    }
}
