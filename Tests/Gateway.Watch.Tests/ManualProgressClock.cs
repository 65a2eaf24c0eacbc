namespace Coordinator.Tests.Gateway.Watch;

/// <summary>
/// A time provider whose periodic timers (the hub's progress timer) fire only on <see cref="Tick"/>;
/// one-shot timers (delays) run on real time.
/// </summary>
internal sealed class ManualProgressClock : TimeProvider
{
    private readonly List<(TimerCallback Callback, object? State)> _periodic = [];

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (period == Timeout.InfiniteTimeSpan || period == TimeSpan.Zero) return System.CreateTimer(callback, state, dueTime, period);
        lock (_periodic) _periodic.Add((callback, state));
        return new IdleTimer();
    }

    public void Tick()
    {
        (TimerCallback Callback, object? State)[] timers;
        lock (_periodic) timers = [.. _periodic];
        foreach (var (callback, state) in timers) callback(state);
    }

    private sealed class IdleTimer : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => true;
        public void Dispose() { }
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
