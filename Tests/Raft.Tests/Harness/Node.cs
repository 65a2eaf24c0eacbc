using Coordinator.Grains.Raft;

namespace Coordinator.Tests.Raft.Harness;

/// <summary>
/// One replica with the host around it: its durable log (<see cref="MemoryLogStorage"/>) and a trivial
/// state machine, the ordered list of applied entries (restored from snapshot data when one is installed).
/// </summary>
public sealed class Node
{
    public ulong Id { get; }
    public ReplicaOptions Options { get; internal set; }
    public MemoryLogStorage Storage { get; }
    public Replica Replica { get; internal set; }

    /// <summary>The state machine: every applied entry, in index order, starting after the first snapshot.</summary>
    public List<Entry> Applied { get; } = new();
    /// <summary>Every ReadState the replica handed out, in order.</summary>
    public List<ReadState> ReadStates { get; } = new();
    /// <summary>Every Ready this host handled, in order.</summary>
    public List<Ready> Readies { get; } = new();
    /// <summary>The host's own view of the membership after each applied config change (for snapshots).</summary>
    internal List<(ulong Index, Membership Membership)> ConfigHistory { get; } = new();

    /// <summary>Index of the last entry the state machine holds.</summary>
    public ulong AppliedIndex { get; internal set; }

    public Node(ulong id, ReplicaOptions options, MemoryLogStorage storage)
    {
        Id = id;
        Options = options;
        Storage = storage;
        Replica = new Replica(options, storage);
        ConfigHistory.Add((storage.Snapshot.Metadata.Index, storage.Snapshot.Metadata.Membership));
        AppliedIndex = storage.Snapshot.Metadata.Index;
    }

    /// <summary>The membership in effect after applying <paramref name="index"/> (host bookkeeping).</summary>
    public Membership MembershipAt(ulong index) => ConfigHistory.Last(c => c.Index <= index).Membership;

    /// <summary>Entries the replica currently holds (storage plus unstable tail), first to last.</summary>
    public IReadOnlyList<Entry> LogEntries()
    {
        var log = Replica.Log;
        if (log.LastIndex < log.FirstIndex) return Array.Empty<Entry>();
        return log.TrySlice(log.FirstIndex, log.LastIndex + 1, long.MaxValue) ?? (IReadOnlyList<Entry>)Array.Empty<Entry>();
    }

    public override string ToString() => Replica.ToString();
}
