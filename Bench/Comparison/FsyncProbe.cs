using System.Runtime.InteropServices;
using Coordinator.Bench.Metrics;
using Coordinator.Bench.Running;
using Microsoft.Win32.SafeHandles;

namespace Coordinator.Bench.Comparison;

/// <summary>
/// The disk's commit floor: write 4 KiB then fdatasync, in a loop, in the data directory's filesystem.
/// Two shapes: overwriting a preallocated file (what a WAL with preallocated segments does) and appending
/// (which also forces the file size to disk).
/// </summary>
public static partial class FsyncProbe
{
    private const int BlockSize = 4096;
    private const long PreallocatedBytes = 16L << 20;

    [LibraryImport("libc", EntryPoint = "fdatasync", SetLastError = true)]
    private static partial int FdataSync(nint fd);

    public static (LatencySummary Overwrite, LatencySummary Append) Measure(string directory, TimeSpan eachFor)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "fsync-probe.bin");
        try
        {
            return (Loop(path, preallocate: true, eachFor), Loop(path, preallocate: false, eachFor));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static LatencySummary Loop(string path, bool preallocate, TimeSpan duration)
    {
        File.Delete(path);
        using var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite);
        var block = new byte[BlockSize];
        new Random(7).NextBytes(block);
        if (preallocate)
        {
            var zeros = new byte[1 << 20];
            for (long at = 0; at < PreallocatedBytes; at += zeros.Length)
                RandomAccess.Write(handle, zeros, at);
            Sync(handle);
        }
        var histogram = new LatencyHistogram();
        var stopAt = Clock.NowNanos() + (long)(duration.TotalMilliseconds * 1e6);
        long offset = 0;
        while (Clock.NowNanos() < stopAt)
        {
            var start = Clock.NowNanos();
            RandomAccess.Write(handle, block, offset);
            Sync(handle);
            histogram.Record(Clock.NowNanos() - start);
            offset += BlockSize;
            if (preallocate && offset >= PreallocatedBytes)
                offset = 0;
        }
        return LatencySummary.Of(histogram);
    }

    private static void Sync(SafeFileHandle handle)
    {
        if (FdataSync(handle.DangerousGetHandle()) != 0)
            throw new IOException($"fdatasync failed: errno {Marshal.GetLastPInvokeError()}");
    }
}
