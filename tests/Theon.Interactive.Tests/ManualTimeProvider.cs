namespace Theon.Interactive.Tests;

/// <summary>A clock that moves only when told, and fires its timers as it passes their due time.</summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    private readonly List<ManualTimer> timers = [];
    private long ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => ticks;

    public override DateTimeOffset GetUtcNow() =>
        new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(ticks);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state, ticks + dueTime.Ticks);
        timers.Add(timer);
        return timer;
    }

    public void Advance(TimeSpan by)
    {
        var target = ticks + by.Ticks;
        while (timers.Where(t => t.Due <= target).OrderBy(t => t.Due).FirstOrDefault() is { } next)
        {
            ticks = Math.Max(ticks, next.Due);
            timers.Remove(next);
            next.Fire();
        }
        ticks = target;
    }

    private sealed class ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state, long due) : ITimer
    {
        public long Due { get; private set; } = due;

        public void Fire() => callback(state);

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            Due = owner.ticks + dueTime.Ticks;
            if (!owner.timers.Contains(this)) owner.timers.Add(this);
            return true;
        }

        public void Dispose() => owner.timers.Remove(this);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
