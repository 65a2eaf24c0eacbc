using System.Collections.Concurrent;

namespace Coordinator.Grains.Replicas;

/// <summary>
/// The groups this silo knows how to start, by id (fed by the root group's group map; by tests directly).
/// A replica grain whose log is empty bootstraps from its group's spec here; one whose log is not empty reads
/// its membership from the log and takes only the timing from here. Thread-safe.
/// </summary>
public sealed class ReplicaGroupCatalog
{
    private readonly ConcurrentDictionary<ulong, ReplicaGroupSpec> _groups = new();

    /// <summary>Adds or replaces a group's spec.</summary>
    public void Define(ReplicaGroupSpec spec)
    {
        spec.Validate();
        _groups[spec.GroupId] = spec;
    }

    public ReplicaGroupSpec? Find(ulong groupId) => _groups.GetValueOrDefault(groupId);

    public IReadOnlyCollection<ReplicaGroupSpec> All => _groups.Values.ToArray();
}
