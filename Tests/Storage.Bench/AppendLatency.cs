using System.Diagnostics;
using Coordinator.Grains.Raft;
using Coordinator.Silo.Storage;

namespace Coordinator.Storage.Bench;

/// <summary>
/// Commit latency on the real disk: 1 KiB written and fdatasync'ed per iteration, through a WAL Save (with
/// and without preallocated segments) and through a bare file (appended vs. overwriting written zeros).
/// Prints p50/p99/max in milliseconds.
/// </summary>
public static class AppendLatency
{
    private const int Iterations = 5000;
    private const int Size = 1024;

    public static void Run(string dir)
    {
        var payload = new byte[Size];
        Random.Shared.NextBytes(payload);
        for (var round = 0; round < 2; round++)
        {
            foreach (var preallocate in new[] { false, true })
                Report($"wal save 1 KiB entry, preallocate={preallocate}", WalSaves(Fresh(dir), preallocate, payload));
            Report("raw append 1 KiB + fdatasync", RawWrites(Fresh(dir), preallocated: false, payload));
            Report("raw overwrite of written zeros 1 KiB + fdatasync", RawWrites(Fresh(dir), preallocated: true, payload));
        }
        Directory.Delete(dir, recursive: true);
    }

    private static string Fresh(string dir)
    {
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        Directory.CreateDirectory(dir);
        return dir;
    }

    private static double[] WalSaves(string dataDir, bool preallocate, byte[] payload)
    {
        var samples = new double[Iterations];
        using var wal = WriteAheadLog.Open(new WalOptions { DataDir = dataDir, PreallocateSegments = preallocate });
        Thread.Sleep(1000); // let the spare segment's preparation finish
        for (var i = 0; i < Iterations; i++)
        {
            var index = (ulong)i + 1;
            var started = Stopwatch.GetTimestamp();
            wal.Save(new HardState(1, 1, index - 1), [new Entry(index, 1, EntryType.Normal, payload)]);
            samples[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }
        return samples;
    }

    private static double[] RawWrites(string dir, bool preallocated, byte[] payload)
    {
        var path = Path.Combine(dir, "raw.seg");
        if (preallocated)
        {
            using var zeros = DiskFileSystem.Instance.OpenAppend(path);
            zeros.Append(new byte[Iterations * Size]);
            zeros.Flush();
        }
        var samples = new double[Iterations];
        using var file = preallocated ? DiskFileSystem.Instance.OpenAppendAt(path, 0) : DiskFileSystem.Instance.OpenAppend(path);
        for (var i = 0; i < Iterations; i++)
        {
            var started = Stopwatch.GetTimestamp();
            file.Append(payload);
            file.Flush();
            samples[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }
        return samples;
    }

    private static void Report(string what, double[] samples)
    {
        var sorted = samples.Order().ToArray();
        Console.WriteLine($"{what}: p50 {sorted[sorted.Length / 2]:F3} ms, p99 {sorted[sorted.Length * 99 / 100]:F3} ms, " +
                          $"max {sorted[^1]:F3} ms ({sorted.Length} iterations)");
    }
}
