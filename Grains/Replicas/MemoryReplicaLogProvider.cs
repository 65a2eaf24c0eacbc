namespace Coordinator.Grains.Replicas;

/// <summary>
/// The <see cref="IReplicaLogProvider"/> over a <see cref="MemoryReplicaLogDisk"/>. A group's log is handed out
/// once until its holder disposes it. Disposing the provider (the silo stops) closes every log it handed out, so an
/// activation that outlives its silo can no longer write.
/// </summary>
public sealed class MemoryReplicaLogProvider : IReplicaLogProvider, IDisposable
{
    private readonly MemoryReplicaLogDisk _disk;
    private readonly Lock _lock = new();
    private readonly Dictionary<ulong, MemoryReplicaLog> _open = new(); // guarded by _lock
    private bool _disposed; // guarded by _lock

    public MemoryReplicaLogProvider(MemoryReplicaLogDisk disk)
    {
        _disk = disk;
        disk.Claim(this);
    }

    public IReplicaLog Open(ulong groupId)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_open.ContainsKey(groupId)) throw new ReplicaLogInUseException(groupId);
            var log = new MemoryReplicaLog(groupId, _disk.Group(groupId), this);
            _open.Add(groupId, log);
            return log;
        }
    }

    /// <summary>True while some holder has the group's log open.</summary>
    public bool IsOpen(ulong groupId)
    {
        lock (_lock) return _open.ContainsKey(groupId);
    }

    internal void Closed(MemoryReplicaLog log)
    {
        lock (_lock)
        {
            if (_open.TryGetValue(log.GroupId, out var current) && ReferenceEquals(current, log)) _open.Remove(log.GroupId);
        }
    }

    public void Dispose()
    {
        MemoryReplicaLog[] open;
        lock (_lock)
        {
            if (_disposed) return;
            _disposed = true;
            open = _open.Values.ToArray();
        }
        foreach (var log in open) log.Dispose();
        _disk.Release(this);
    }
}
