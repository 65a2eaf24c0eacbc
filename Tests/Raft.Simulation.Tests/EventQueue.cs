namespace Coordinator.Tests.Simulation;

/// <summary>Simulated time: actions ordered by (time, insertion order), so a seed replays exactly.</summary>
internal sealed class EventQueue
{
    private readonly PriorityQueue<Action, (long Time, long Seq)> _queue = new();
    private long _seq;

    /// <summary>Simulated milliseconds since the start.</summary>
    public long Now { get; private set; }

    public void At(long time, Action action) => _queue.Enqueue(action, (Math.Max(time, Now), _seq++));
    public void After(long delay, Action action) => At(Now + delay, action);

    /// <summary>Runs events up to <paramref name="until"/>, or until <paramref name="stop"/> returns true.</summary>
    public void RunUntil(long until, Func<bool>? stop = null)
    {
        while (_queue.TryPeek(out _, out var key) && key.Time <= until)
        {
            var action = _queue.Dequeue();
            Now = key.Time;
            action();
            if (stop?.Invoke() == true) return;
        }
        Now = Math.Max(Now, until);
    }
}
