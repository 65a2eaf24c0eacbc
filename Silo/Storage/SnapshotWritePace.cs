namespace Coordinator.Silo.Storage;

/// <summary>
/// Pacing of a snapshot file's writes: at most <see cref="BytesPerSecond"/> (0 = as fast as possible), and an
/// fsync every <see cref="SyncEveryBytes"/> (0 = only the final one). The default is unpaced.
/// </summary>
public readonly record struct SnapshotWritePace(long BytesPerSecond, long SyncEveryBytes)
{
    /// <summary>For a snapshot written while the member keeps committing: 64 MiB/s, an fsync every 8 MiB
    /// (100 MiB of state take ~1.6 s; the log keeps its entries until the snapshot is committed).</summary>
    public static SnapshotWritePace Background => new(64L << 20, 8L << 20);
}
