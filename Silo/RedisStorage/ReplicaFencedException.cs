namespace Coordinator.Silo.RedisStorage;

/// <summary>A newer activation of this replica owns its log: this one must stop writing and deactivate.</summary>
public sealed class ReplicaFencedException(string replica, long epoch, string current)
    : Exception($"replica log {replica} belongs to a newer activation (owner epoch {current}, ours {epoch}); this activation must deactivate");
