namespace Coordinator.Tests.Nemesis;

/// <summary>A read of a lease's key by the test: times are the test process's monotonic clock.</summary>
public readonly record struct LeaseRead(long Invoked, long Completed, bool Present, bool AfterRevoke);

/// <summary>One lease holding one key: when its grant was sent, and the reads of its key.</summary>
public sealed record LeaseObservation(string Key, long GrantInvoked, IReadOnlyList<LeaseRead> Reads);

/// <summary>Leases end neither early nor never: a key is there until its TTL has run from the moment its grant was
/// sent (unless revoked; the lease's own clock starts later), gone once its revoke returned, and gone at the end
/// when nothing kept it alive.</summary>
public static class LeaseChecker
{
    public static IReadOnlyList<string> Check(IEnumerable<LeaseObservation> leases, long ttlTicks, long ticksPerSecond,
        IReadOnlyList<string> keysLeftAtEnd)
    {
        var anomalies = new List<string>();
        foreach (var lease in leases)
            foreach (var r in lease.Reads)
            {
                if (!r.AfterRevoke && !r.Present && r.Completed < lease.GrantInvoked + ttlTicks)
                    anomalies.Add($"lease key {lease.Key} gone {(r.Completed - lease.GrantInvoked) * 1000 / ticksPerSecond} ms after its " +
                                  $"grant was sent, before its {ttlTicks * 1000 / ticksPerSecond} ms TTL");
                if (r.AfterRevoke && r.Present) anomalies.Add($"lease key {lease.Key} still there after its revoke returned");
            }
        if (keysLeftAtEnd.Count > 0)
            anomalies.Add($"{keysLeftAtEnd.Count} keys of leases nobody kept alive outlived their TTL: {string.Join(", ", keysLeftAtEnd.Take(5))}");
        return anomalies;
    }
}
