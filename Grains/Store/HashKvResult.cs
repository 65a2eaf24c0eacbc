namespace Coordinator.Grains.Store;

/// <summary>Result of <see cref="KvStore.HashKv"/>: equal on every member that applied the same entries.</summary>
public readonly record struct HashKvResult(uint Hash, long CompactRevision, long CurrentRevision);
