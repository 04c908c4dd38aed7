namespace Theon.Backends.Cuda.Runtime;

/// <summary>
/// A shared variable's value in device memory (<see cref="SharedVariable"/> keeps the versions). A CUDA function
/// reads it in place while it is current, and installs its updates as new replicas.
/// </summary>
internal sealed class DeviceReplica(DeviceArray array, Transfers transfers, Action<DeviceArray>? release = null)
    : ValueReplica
{
    public DeviceArray Array { get; } = array;

    public Device Device => Array.Memory.Device;

    public override int[] Shape => Array.Shape;

    public override NDArray Download() => transfers.Download(Array);

    /// <summary>Gives the memory to whoever made the replica (a function keeps it for its next update), else back to
    /// the pool.</summary>
    public override void Release()
    {
        GC.SuppressFinalize(this);
        if (release is null) Array.Memory.Dispose();
        else release(Array);
    }

    // A shared variable dropped with its value on the device (a notebook cell run again) gives the memory back to the
    // pool; nothing else can hold it, since every function that reads the variable holds the variable.
    ~DeviceReplica() => Array.Memory.Dispose();

    /// <summary>
    /// The device array holding <paramref name="variable"/>'s current value on <paramref name="device"/>: its replica
    /// when current, else the host value uploaded (into the stale replica's memory when the shape still fits).
    /// </summary>
    public static DeviceArray Of(SharedVariable variable, Device device, Transfers transfers)
    {
        if (variable.ReplicaIsCurrent && variable.Replica is DeviceReplica current && current.Device == device)
            return current.Array;
        var value = variable.Value;
        var target = variable.Replica is DeviceReplica stale && stale.Device == device
            && stale.Array.Shape.SequenceEqual(value.shape) ? stale.Array
            : DeviceArray.Allocate(device, value.DType, value.shape);
        transfers.Upload(value, target);
        variable.AttachReplica(ReferenceEquals(target, (variable.Replica as DeviceReplica)?.Array)
            ? variable.Replica! : new DeviceReplica(target, transfers));
        return target;
    }
}
