namespace Coordinator.Silo.Transport;

/// <summary>
/// Exponential backoff with full jitter between a minimum and a maximum delay. Not thread-safe: each peer
/// connection loop owns one.
/// </summary>
internal sealed class ReconnectBackoff(TimeSpan min, TimeSpan max)
{
    private readonly TimeSpan _min = min;
    private TimeSpan _ceiling = min;

    public void Reset() => _ceiling = _min;

    /// <summary>A delay in [ceiling/2, ceiling], then doubles the ceiling up to the maximum.</summary>
    public TimeSpan Next()
    {
        var ceiling = _ceiling;
        _ceiling = TimeSpan.FromTicks(Math.Min(max.Ticks, ceiling.Ticks * 2));
        var half = ceiling.Ticks / 2;
        return TimeSpan.FromTicks(half + (long)(Random.Shared.NextDouble() * half));
    }
}
