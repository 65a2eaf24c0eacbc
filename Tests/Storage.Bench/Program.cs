using System.Diagnostics;
using Coordinator.Grains.Raft;
using Coordinator.Silo.Storage;

// Reopen benchmark: recovers a WAL of 1,000,000 entries of 100 bytes (writing it first when missing).
// Usage: dotnet run -c Release --project Tests/Storage.Bench [data-dir]
// Commit latency (1 KiB append + fdatasync): dotnet run -c Release --project Tests/Storage.Bench latency [dir]
if (args.Length > 0 && args[0] == "latency")
{
    Coordinator.Storage.Bench.AppendLatency.Run(args.Length > 1 ? args[1] : Path.Combine(Path.GetTempPath(), "coordinator-wal-latency"));
    return;
}
const ulong EntryCount = 1_000_000;
const int EntrySize = 100;
const int BatchSize = 1_000;

var dataDir = args.Length > 0 ? args[0] : Path.Combine(Path.GetTempPath(), "coordinator-wal-bench");
var options = new WalOptions { DataDir = dataDir, Log = Console.WriteLine };

using (var wal = WriteAheadLog.Open(options))
{
    if (wal.LastIndex < EntryCount)
    {
        Console.WriteLine($"writing {EntryCount:N0} entries of {EntrySize} B to {options.WalDirectory} ...");
        var write = Stopwatch.StartNew();
        var payload = new byte[EntrySize];
        Random.Shared.NextBytes(payload);
        for (var next = wal.LastIndex + 1; next <= EntryCount; next += BatchSize)
        {
            var batch = new List<Entry>(BatchSize);
            for (var i = next; i < next + BatchSize && i <= EntryCount; i++) batch.Add(new Entry(i, 1, EntryType.Normal, payload));
            wal.Save(new HardState(1, 1, batch[^1].Index), batch);
        }
        Console.WriteLine($"wrote in {write.Elapsed.TotalSeconds:F2} s with {wal.FsyncCount} fsyncs");
    }
}

var bytes = Directory.GetFiles(options.WalDirectory, "*.wal").Sum(f => new FileInfo(f).Length);
var reopen = Stopwatch.StartNew();
using (var wal = WriteAheadLog.Open(options))
{
    reopen.Stop();
    var seconds = reopen.Elapsed.TotalSeconds;
    Console.WriteLine($"reopened {wal.LastIndex:N0} entries ({bytes / 1e6:F1} MB in {Directory.GetFiles(options.WalDirectory, "*.wal").Length} segments) " +
                      $"in {seconds:F3} s = {bytes / 1e6 / seconds:F1} MB/s, {wal.LastIndex / seconds:N0} entries/s");
}
