namespace Theon.Backends.Cpu;

/// <summary>
/// Liveness-based buffer sharing. A slot lives from the node that writes it to its last reader; a view lives as
/// long as anything reading through it, so outputs that may alias their inputs extend the inputs' lifetimes.
/// Walking the nodes in order, each planned output takes a free buffer of its dtype, or the buffer of an input
/// that dies at this node when the kernel can work in place; buffers are freed after their last reader.
/// Function outputs and update values are never shared.
/// </summary>
internal sealed class MemoryPlan
{
    private const int Forever = int.MaxValue;

    public MemoryPlan(NodeSlots[] nodes, NodeKernel[] kernels, int[] resultSlots, int slotCount)
    {
        var lastUse = LastUses(nodes, kernels, resultSlots, slotCount);
        var groupOf = new StorageGroup?[slotCount];
        var aliases = new List<StorageGroup>[slotCount];   // the planned buffers a slot's value may read from
        for (var s = 0; s < slotCount; s++) aliases[s] = [];
        var free = new List<StorageGroup>();
        var groups = new HashSet<StorageGroup>();
        for (var n = 0; n < nodes.Length; n++)
        {
            var (node, kernel) = (nodes[n], kernels[n]);
            if (kernel.WritesPlannedOutputs)
            {
                for (var o = 0; o < node.Outputs.Length; o++)
                {
                    var slot = node.Outputs[o];
                    var dtype = node.Node.outputs[o].type.dtype;
                    var group = (o == 0 ? InPlace(node, kernel, groupOf, aliases, lastUse, n, dtype) : null)
                        ?? Take(free, dtype) ?? new StorageGroup(dtype);
                    groupOf[slot] = group;
                    aliases[slot].Add(group);
                    groups.Add(group);
                    Buffers.Add((slot, new SlotBuffer(group)));
                }
            }
            else
            {
                var read = node.Inputs.SelectMany(s => aliases[s]).Distinct().ToList();
                foreach (var slot in node.Outputs) aliases[slot] = read;
            }
            foreach (var slot in node.Inputs.Concat(node.Outputs).Distinct())
            {
                if (lastUse[slot] != n || groupOf[slot] is not { } group || free.Contains(group)) continue;
                if (!node.Outputs.Any(o => groupOf[o] == group && lastUse[o] > n)) free.Add(group);
            }
        }
        GroupCount = groups.Count;
    }

    public List<(int Slot, SlotBuffer Buffer)> Buffers { get; } = [];

    public int GroupCount { get; }

    private static int[] LastUses(NodeSlots[] nodes, NodeKernel[] kernels, int[] resultSlots, int slotCount)
    {
        var lastUse = new int[slotCount];
        Array.Fill(lastUse, -1);
        for (var n = 0; n < nodes.Length; n++)
        {
            foreach (var s in nodes[n].Inputs) lastUse[s] = n;
            foreach (var s in nodes[n].Outputs) lastUse[s] = Math.Max(lastUse[s], n);
        }
        foreach (var s in resultSlots) lastUse[s] = Forever;
        for (var n = nodes.Length - 1; n >= 0; n--)
        {
            if (kernels[n].WritesPlannedOutputs) continue;
            var extended = nodes[n].Outputs.Max(s => lastUse[s]);
            foreach (var s in nodes[n].Inputs) lastUse[s] = Math.Max(lastUse[s], extended);
        }
        return lastUse;
    }

    private static StorageGroup? InPlace(NodeSlots node, NodeKernel kernel, StorageGroup?[] groupOf,
        List<StorageGroup>[] aliases, int[] lastUse, int n, DType dtype)
    {
        foreach (var i in kernel.InPlaceCandidates)
        {
            var slot = node.Inputs[i];
            if (groupOf[slot] is not { } group || group.DType != dtype || lastUse[slot] != n) continue;
            // another input reading the same buffer (a second use, or a view of it) would see the writes
            var shared = node.Inputs.Where((s, j) => j != i && (s == slot || aliases[s].Contains(group))).Any();
            if (!shared) return group;
        }
        return null;
    }

    private static StorageGroup? Take(List<StorageGroup> free, DType dtype)
    {
        var index = free.FindIndex(g => g.DType == dtype);
        if (index < 0) return null;
        var group = free[index];
        free.RemoveAt(index);
        return group;
    }
}
