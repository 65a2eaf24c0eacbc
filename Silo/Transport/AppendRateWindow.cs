namespace Coordinator.Silo.Transport;

/// <summary>etcd's statsQueue: the last 200 append requests (time, size) for packages/s and bytes/s; a window whose
/// newest entry is over a second old reports 0 (and is cleared). Guarded by its owner's lock.</summary>
internal sealed class AppendRateWindow
{
    private const int Capacity = 200;
    private readonly Queue<(long Ticks, int Size)> _items = new(Capacity);
    private long _bytes;

    public void Add(long ticks, int size)
    {
        if (_items.Count == Capacity) _bytes -= _items.Dequeue().Size;
        _items.Enqueue((ticks, size));
        _bytes += size;
    }

    /// <summary>(packages per second, bytes per second) at <paramref name="nowTicks"/> (Stopwatch ticks).</summary>
    public (double Packages, double Bytes) Rate(long nowTicks)
    {
        if (_items.Count == 0) return (0, 0);
        var back = _items.Last().Ticks;
        if (TimeSpanOf(nowTicks - back) > TimeSpan.FromSeconds(1))
        {
            _items.Clear();
            _bytes = 0;
            return (0, 0);
        }
        var duration = TimeSpanOf(back - _items.Peek().Ticks).TotalSeconds;
        if (duration <= 0) return (0, 0);
        return (_items.Count / duration, _bytes / duration);
    }

    private static TimeSpan TimeSpanOf(long ticks) => TimeSpan.FromSeconds((double)ticks / System.Diagnostics.Stopwatch.Frequency);
}
