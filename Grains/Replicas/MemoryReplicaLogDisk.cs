using System.Collections.Concurrent;
using Coordinator.Grains.Raft;

namespace Coordinator.Grains.Replicas;

/// <summary>
/// Where a member's in-memory logs live: it outlives the <see cref="MemoryReplicaLogProvider"/> over it, as a data
/// directory outlives the process, so a silo restarted in the same process reopens the same logs. Like the
/// data-directory lock, at most one live provider may own it at a time.
/// </summary>
public sealed class MemoryReplicaLogDisk
{
    private readonly ConcurrentDictionary<ulong, MemoryLogStorage> _groups = new();
    private readonly Lock _lock = new();
    private MemoryReplicaLogProvider? _owner; // guarded by _lock

    /// <summary>The group's storage, created empty on first use. Every access to it locks the storage itself.</summary>
    internal MemoryLogStorage Group(ulong groupId) => _groups.GetOrAdd(groupId, _ => new MemoryLogStorage());

    internal void Claim(MemoryReplicaLogProvider provider)
    {
        lock (_lock)
        {
            if (_owner is not null)
                throw new InvalidOperationException("this member's logs are already owned by a live log provider (another silo of the same member?)");
            _owner = provider;
        }
    }

    internal void Release(MemoryReplicaLogProvider provider)
    {
        lock (_lock)
        {
            if (ReferenceEquals(_owner, provider)) _owner = null;
        }
    }
}
