using Theon.Ops;

namespace Theon.Backends.Cuda.Runtime;

/// <summary>
/// A <see cref="CudaExecutable"/> built for the step of a scan (<see cref="DeviceScan"/>): its arguments are device
/// arrays handed in each step (rows of sequences, taps, non-sequences), never uploaded; its temporaries come from its
/// own arena, laid out afresh each step, so a warm loop allocates nothing; it flags bad indices in the outer
/// function's error flag, which only the outer call resets and reads.
/// </summary>
internal sealed partial class CudaExecutable
{
    private readonly bool isStep;
    private readonly IReadOnlyDictionary<Apply, DeviceScan> scans;
    private CallContext? stepContext;
    private DeviceArray?[] stepDestinations = [];

    /// <summary>Whether a node of this plan, or of a scan's step in it, checks indices on the device.</summary>
    internal bool FlagsErrors => flagsErrors;

    /// <summary>The scans of this plan, each with the executable of its step.</summary>
    internal IReadOnlyDictionary<Apply, DeviceScan> Scans => scans;

    /// <summary>Counts the moves of this function's arenas, its scans' steps' included: a captured graph holds their
    /// addresses.</summary>
    internal long ArenaGenerations => arena.Generation + scans.Values.Sum(s => s.Step.ArenaGenerations);

    /// <summary>
    /// Issues one step's device work on <paramref name="arguments"/> (one per <see cref="GraphInputs"/>)
    /// and returns its results as the device holds them, valid until <see cref="EndStep"/>. A node that computes
    /// result o writes it into <paramref name="destinations"/>[o] where one is given (its row of the scan's output).
    /// </summary>
    internal DeviceArray[] RunStep(DeviceArray[] arguments, DeviceArray?[] destinations, CancellationToken cancellation)
    {
        try
        {
            stepDestinations = destinations;
            for (var i = 0; i < arguments.Length; i++) deviceValues[argumentSlots[i]] = arguments[i];
            (stepContext, var outputs) = Walk(cancellation);
            // A graph replays what the capture uploaded; a value the step computes on the host may differ next time.
            if (device.Capturing && hostInputsRead.Any(slot => variables[slot] is not Constant))
                throw new CaptureRefusedException("the step of a scan reads a value computed on the host.", false);
            return [.. outputs.Select((value, o) => value ?? DeviceValue(slotOf[results[o]]))];
        }
        catch
        {
            EndStep();
            throw;
        }
    }

    private DeviceArray? StepDestination(Variable v)
    {
        for (var o = 0; o < stepDestinations.Length; o++)
        {
            if (ReferenceEquals(results[o], v)) return stepDestinations[o];
        }
        return null;
    }

    /// <summary>Gives the step's temporaries back to its arena: its results are read (copied) by then.</summary>
    internal void EndStep()
    {
        stepDestinations = [];
        if (stepContext is { } context) EndWalk(context);
        stepContext = null;
        Array.Clear(hostValues);
        Array.Clear(deviceValues);
    }
}
