namespace Theon.Backends.Cpu;

/// <summary>Work split into numbered parts that can run on any thread in any order.</summary>
internal interface IPartitionedWork
{
    void Run(int part, int parts);
}

/// <summary>
/// A fixed set of background threads that run the parts of one <see cref="IPartitionedWork"/> at a time, the
/// caller taking part 0. Unlike <c>Parallel.For</c> it allocates nothing per call, so multi-threaded GEMMs and
/// elementwise loops keep a steady-state call at 0 bytes. A caller that finds the pool busy (another thread's call)
/// runs every part itself. The caller spins (yielding) until the workers are done rather than blocking on an event:
/// the first time a thread blocks on one, .NET allocates the event's lock, which made a steady-state call allocate
/// 24 bytes whenever the workers happened to finish last.
/// </summary>
internal static class WorkerPool
{
    private static readonly object Gate = new();
    private static Worker[] workers = [];
    private static IPartitionedWork? current;
    private static int parts;
    private static int pending;
    private static Exception? failure;

    public static void Run(IPartitionedWork work, int partCount)
    {
        if (partCount <= 1 || !Monitor.TryEnter(Gate))
        {
            for (var part = 0; part < partCount; part++) work.Run(part, partCount);
            return;
        }
        try
        {
            EnsureWorkers(partCount - 1);
            (current, parts, failure) = (work, partCount, null);
            Volatile.Write(ref pending, partCount - 1);
            for (var i = 0; i < partCount - 1; i++) workers[i].Start.Release();
            try
            {
                work.Run(0, partCount);
            }
            finally
            {
                var spinner = new SpinWait();
                while (Volatile.Read(ref pending) > 0) spinner.SpinOnce(sleep1Threshold: -1);
                current = null;
            }
            if (failure is { } error) throw new AggregateException(error);
        }
        finally
        {
            Monitor.Exit(Gate);
        }
    }

    private static void EnsureWorkers(int count)
    {
        if (workers.Length >= count) return;
        var grown = new Worker[count];
        workers.CopyTo(grown, 0);
        for (var i = workers.Length; i < count; i++) grown[i] = new Worker(i + 1);
        workers = grown;
    }

    private static void Finish(Exception? error)
    {
        if (error is not null) Interlocked.CompareExchange(ref failure, error, null);
        Interlocked.Decrement(ref pending);
    }

    private sealed class Worker
    {
        public Worker(int part)
        {
            Part = part;
            new Thread(Loop) { IsBackground = true, Name = $"Theon CPU worker {part}" }.Start();
        }

        public SemaphoreSlim Start { get; } = new(0);

        private int Part { get; }

        private void Loop()
        {
            while (true)
            {
                Start.Wait();
                Exception? error = null;
                try
                {
                    current!.Run(Part, parts);
                }
                catch (Exception e)
                {
                    error = e;
                }
                Finish(error);
            }
        }
    }
}
