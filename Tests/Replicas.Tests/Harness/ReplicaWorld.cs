using System.Collections.Concurrent;
using Coordinator.Grains.Replicas;

namespace Coordinator.Replicas.Tests.Harness;

/// <summary>
/// What outlives a test cluster's silos, by cluster id (silo configurators are built by type, so they find it here):
/// each member's "disk" (its logs survive a silo restart, as a data directory does) and write gate, the group catalog
/// all members share, and the latest state machine of every replica.
/// </summary>
public sealed class ReplicaWorld
{
    private static readonly ConcurrentDictionary<string, ReplicaWorld> Worlds = new();
    private readonly ConcurrentDictionary<ulong, MemoryReplicaLogDisk> _disks = new();
    private readonly ConcurrentDictionary<ReplicaKey, RecordingStateMachine> _stateMachines = new();
    private readonly ConcurrentDictionary<ulong, WriteGate> _gates = new();

    public static ReplicaWorld For(string clusterId) => Worlds.GetOrAdd(clusterId, _ => new ReplicaWorld());

    public static void Forget(string clusterId) => Worlds.TryRemove(clusterId, out _);

    public ReplicaGroupCatalog Catalog { get; } = new();

    public MemoryReplicaLogDisk Disk(ulong member) => _disks.GetOrAdd(member, _ => new MemoryReplicaLogDisk());

    /// <summary>The gate every log write of <paramref name="member"/> passes (open unless a test closes it).</summary>
    public WriteGate Gate(ulong member) => _gates.GetOrAdd(member, _ => new WriteGate());

    public RecordingStateMachine NewStateMachine(ReplicaKey key)
    {
        var created = new RecordingStateMachine();
        _stateMachines[key] = created;
        return created;
    }

    /// <summary>What the latest activation of <paramref name="key"/> applied (empty before it first activated).</summary>
    public IReadOnlyList<string> Applied(ReplicaKey key) =>
        _stateMachines.TryGetValue(key, out var machine) ? machine.Applied : [];
}
