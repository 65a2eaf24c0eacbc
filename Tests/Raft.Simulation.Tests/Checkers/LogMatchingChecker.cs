namespace Coordinator.Tests.Simulation;

/// <summary>Raft §5.3 log matching: if two logs hold an entry with the same index and term, they are
/// identical up to it. Compares every pair of live replicas' logs (storage + unstable tail).</summary>
internal sealed class LogMatchingChecker : InvariantChecker
{
    public override void Periodic(IReadOnlyList<ISimReplica> live)
    {
        for (var a = 0; a < live.Count; a++)
            for (var b = a + 1; b < live.Count; b++)
                Compare(live[a], live[b]);
    }

    public override void Final(IReadOnlyList<ISimReplica> members, ulong maxAckedIndex) => Periodic(members);

    private static void Compare(ISimReplica a, ISimReplica b)
    {
        var la = a.Replica!.Log;
        var lb = b.Replica!.Log;
        var lo = Math.Max(la.FirstIndex, lb.FirstIndex);
        var hi = Math.Min(la.LastIndex, lb.LastIndex);
        if (lo > hi) return;
        var ea = la.TrySlice(lo, hi + 1, long.MaxValue)!;
        var eb = lb.TrySlice(lo, hi + 1, long.MaxValue)!;
        var match = -1;
        for (var i = ea.Count - 1; i >= 0; i--)
            if (ea[i].Term == eb[i].Term) { match = i; break; }
        for (var i = 0; i <= match; i++)
            if (!ea[i].Equals(eb[i]))
                throw new SimulationFailure(
                    $"log matching: {a.Id} and {b.Id} agree on {ea[match].Term}/{ea[match].Index} but differ at {ea[i]} vs {eb[i]}");
    }
}
