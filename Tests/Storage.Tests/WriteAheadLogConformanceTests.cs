using Coordinator.Grains.Raft;
using Coordinator.Silo.Storage;

namespace Coordinator.Tests.Storage;

/// <summary>The conformance suite over real files; a small segment size makes segments roll.</summary>
public class WriteAheadLogConformanceTests : LogStorageConformance, IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly List<WriteAheadLog> _open = new();

    protected virtual long EntryCacheBytes => new WalOptions { DataDir = "x" }.EntryCacheBytes;

    private WalOptions Options => new() { DataDir = _dir.Path, GroupId = 7, SegmentSizeBytes = 256, EntryCacheBytes = EntryCacheBytes };

    protected override IRaftLogStorage Create() => Track(WriteAheadLog.Open(Options));

    protected override IRaftLogStorage? Reopen(IRaftLogStorage storage)
    {
        ((WriteAheadLog)storage).Dispose();
        _open.Remove((WriteAheadLog)storage);
        return Track(WriteAheadLog.Open(Options));
    }

    private WriteAheadLog Track(WriteAheadLog wal) { _open.Add(wal); return wal; }

    public void Dispose()
    {
        foreach (var wal in _open) wal.Dispose();
        _dir.Dispose();
    }
}

/// <summary>The conformance suite with no entry cache: every entry but the newest is read back from disk.</summary>
public sealed class UncachedWriteAheadLogConformanceTests : WriteAheadLogConformanceTests
{
    protected override long EntryCacheBytes => 0;
}
