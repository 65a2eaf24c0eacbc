namespace Coordinator.Grains.Store;

/// <summary>Limits of the store. All members of a group must use the same values: they affect applied results.</summary>
public sealed record StoreOptions
{
    /// <summary>etcd's --max-txn-ops.</summary>
    public int MaxTxnOps { get; init; } = 128;

    /// <summary>etcd's --max-request-bytes (1.5 MiB).</summary>
    public int MaxRequestBytes { get; init; } = 1572864;

    /// <summary>Granted TTLs below this (seconds) are raised to it. etcd derives 2 s from its default election timeout.</summary>
    public long MinLeaseTtl { get; init; } = 2;

    /// <summary>etcd's upper bound for lease TTLs (seconds).</summary>
    public long MaxLeaseTtl { get; init; } = 9_000_000_000;

    public static StoreOptions Default { get; } = new();
}
