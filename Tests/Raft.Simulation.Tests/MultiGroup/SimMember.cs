using Coordinator.Grains.Raft;

namespace Coordinator.Tests.Simulation;

/// <summary>
/// One simulated machine of the multi-group simulation: the replicas of every group it hosts, one shared WAL
/// for all of them, and one disk whose fsync latency a fault can raise (a slow disk slows every group on it).
/// A crash takes every replica down at once and loses the WAL's unsynced records of every group.
/// </summary>
internal sealed class SimMember
{
    private readonly MultiGroupSimulator _sim;

    public SimMember(MultiGroupSimulator sim, ulong id, int maxFsyncMs)
    {
        _sim = sim;
        Id = id;
        MaxFsyncMs = BaseFsyncMs = maxFsyncMs;
        Wal = new SharedWal(sim, this);
    }

    public ulong Id { get; }
    public SharedWal Wal { get; }
    /// <summary>The replica of each group hosted here, by group id (at most one, maybe removed).</summary>
    public SortedDictionary<ulong, GroupReplica> Replicas { get; } = new();
    public bool Alive { get; private set; }
    /// <summary>Bumped at every crash, so events scheduled for an earlier life are ignored.</summary>
    public int Generation { get; private set; }
    /// <summary>Fsync takes 1..MaxFsyncMs ms; a slow-disk fault raises it for a while.</summary>
    public int MaxFsyncMs { get; set; }
    public int BaseFsyncMs { get; }

    public long FsyncLatency() => 1 + _sim.Random.Next(MaxFsyncMs);

    public void Start()
    {
        Alive = true;
        foreach (var r in Replicas.Values)
            if (!r.Removed) r.Start();
    }

    public void Crash()
    {
        if (!Alive) return;
        Alive = false;
        Generation++;
        Wal.Crash();
        foreach (var r in Replicas.Values) r.Crash();
        _sim.Trace($"m{Id} crash");
    }

    /// <summary>One tick for every group hosted here (one timer drives them all).</summary>
    public void Tick()
    {
        foreach (var r in Replicas.Values)
            if (Alive && r.Alive) r.Tick();
    }

    /// <summary>Routes a message to the replica of its group; one addressed to a replica not hosted here is dropped.</summary>
    public void Deliver(Message m)
    {
        if (Replicas.TryGetValue(m.Group, out var r) && r.Id == m.To && r.Alive) r.Deliver(m);
    }

    public override string ToString() => $"m{Id} {(Alive ? "up" : "down")} fsync<={MaxFsyncMs}ms";
}
