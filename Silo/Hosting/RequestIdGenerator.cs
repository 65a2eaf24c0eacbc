namespace Coordinator.Silo.Hosting;

/// <summary>Unique request ids: the member id's low 16 bits, then a counter seeded from the clock so a
/// restarted member does not reuse the ids of its previous life (as etcd's idutil does).</summary>
internal sealed class RequestIdGenerator(ulong memberId)
{
    private readonly ulong _prefix = (memberId & 0xFFFF) << 48;
    private long _counter = (DateTime.UtcNow.Ticks / TimeSpan.TicksPerMillisecond & 0xFF_FFFF_FFFF) << 8;

    public ulong Next() => _prefix | ((ulong)Interlocked.Increment(ref _counter) & 0xFFFF_FFFF_FFFF);
}
