namespace Coordinator.Silo.RedisStorage;

/// <summary>The Redis cannot keep this replica's log durably (not configured to fsync every write, too few
/// replicas acknowledged, or an earlier write's outcome is unknown): the replica must report itself down.</summary>
public sealed class RedisLogUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
