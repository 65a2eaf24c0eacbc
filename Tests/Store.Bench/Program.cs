using System.Diagnostics;
using System.Text;
using Coordinator.Grains.Store;
using Coordinator.Protocol.Internal;
using Etcdserverpb;
using Google.Protobuf;

// Usage: dotnet run -c Release --project Tests/Store.Bench [keys=1000000] [valueBytes=32]
var keyCount = args.Length > 0 ? int.Parse(args[0]) : 1_000_000;
var valueBytes = args.Length > 1 ? int.Parse(args[1]) : 32;

Console.WriteLine($"store benchmark: .NET {Environment.Version}, {Environment.ProcessorCount} cpus");
RunKeys(keyCount, valueBytes);
RunLargeValues(100_000, 1024);

static void RunKeys(int n, int valueBytes)
{
    var order = Shuffled(n, seed: 1);
    var value = ByteString.CopyFrom(Filled(valueBytes, 7));
    var store = new KvStore();
    ulong index = 1;

    var before = HeapBytes();
    var sw = Stopwatch.StartNew();
    foreach (var i in order)
        store.Apply(new RaftRequest { Put = new PutRequest { Key = Key(i), Value = value } }, index++);
    sw.Stop();
    var after = HeapBytes();
    Report($"put {n:N0} new keys (random order, {valueBytes} B values)", n, sw);
    Console.WriteLine($"  memory: {(after - before) / 1048576.0:F1} MiB, {(after - before) / (double)n:F0} bytes/key " +
                      $"(key 12 B + value {valueBytes} B payload)");

    sw.Restart();
    foreach (var i in order)
        store.Apply(new RaftRequest { Put = new PutRequest { Key = Key(i), Value = value } }, index++);
    sw.Stop();
    Report($"put {n:N0} updates of existing keys", n, sw);

    sw.Restart();
    store.Apply(new RaftRequest { Compaction = new CompactionRequest { Revision = store.CurrentRevision } }, index++);
    sw.Stop();
    Console.WriteLine($"  compact all history: {sw.Elapsed.TotalMilliseconds:F0} ms; heap now {HeapBytes() / 1048576.0:F1} MiB");

    var random = new Random(2);
    const int gets = 1_000_000;
    sw.Restart();
    for (var k = 0; k < gets; k++) store.Range(new RangeRequest { Key = Key(random.Next(n)) });
    sw.Stop();
    Report("range single key (random)", gets, sw);

    const int scans = 100_000;
    sw.Restart();
    for (var k = 0; k < scans; k++)
    {
        var start = random.Next(n - 100);
        store.Range(new RangeRequest { Key = Key(start), RangeEnd = Key(start + 100), Limit = 10 });
    }
    sw.Stop();
    // count ignores limit (etcd's contract), so the whole 100-key window is visited.
    Report("range [k, k+100) limit 10 (random start)", scans, sw);

    sw.Restart();
    var all = store.Range(new RangeRequest { Key = ByteString.CopyFrom(0), RangeEnd = ByteString.CopyFrom(0), CountOnly = true });
    sw.Stop();
    Console.WriteLine($"  count_only over all {all.Count:N0} keys: {sw.Elapsed.TotalMilliseconds:F0} ms");

    sw.Restart();
    var hash = store.HashKv(0);
    sw.Stop();
    Console.WriteLine($"  HashKV: {sw.Elapsed.TotalMilliseconds:F0} ms (0x{hash.Hash:x8})");

    using var snapshot = new MemoryStream();
    sw.Restart();
    store.WriteSnapshot(snapshot);
    sw.Stop();
    var writeMs = sw.Elapsed.TotalMilliseconds;
    snapshot.Position = 0;
    sw.Restart();
    var restored = KvStore.FromSnapshot(snapshot);
    sw.Stop();
    Console.WriteLine($"  snapshot {snapshot.Length / 1048576.0:F1} MiB: write {writeMs:F0} ms, restore {sw.Elapsed.TotalMilliseconds:F0} ms, " +
                      $"hash equal: {restored.HashKv(0) == hash}");
    GC.KeepAlive(store);
}

static void RunLargeValues(int n, int valueBytes)
{
    var store = new KvStore();
    var before = HeapBytes();
    var sw = Stopwatch.StartNew();
    ulong index = 1;
    for (var i = 0; i < n; i++)
    {
        // Distinct value arrays, as real clients send.
        var value = ByteString.CopyFrom(Filled(valueBytes, (byte)i));
        store.Apply(new RaftRequest { Put = new PutRequest { Key = Key(i), Value = value } }, index++);
    }
    sw.Stop();
    var after = HeapBytes();
    Report($"put {n:N0} keys with {valueBytes} B values", n, sw);
    Console.WriteLine($"  memory: {(after - before) / 1048576.0:F1} MiB total, {(after - before) / (double)n:F0} bytes/key " +
                      $"(etcd 3.4: ~390 MB for the same load)");
    GC.KeepAlive(store);
}

static ByteString Key(int i) => ByteString.CopyFrom(Encoding.ASCII.GetBytes($"key/{i:D8}"));

static byte[] Filled(int length, byte seed)
{
    var bytes = new byte[length];
    for (var i = 0; i < length; i++) bytes[i] = (byte)(seed + i * 31);
    return bytes;
}

static int[] Shuffled(int n, int seed)
{
    var a = Enumerable.Range(0, n).ToArray();
    new Random(seed).Shuffle(a);
    return a;
}

static long HeapBytes()
{
    GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
    GC.WaitForPendingFinalizers();
    GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
    return GC.GetTotalMemory(forceFullCollection: true);
}

static void Report(string what, int ops, Stopwatch sw) =>
    Console.WriteLine($"{what}: {ops / sw.Elapsed.TotalSeconds:N0} ops/s ({sw.Elapsed.TotalMilliseconds:F0} ms)");
