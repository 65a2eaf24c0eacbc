using Coordinator.Silo.Storage;

namespace Coordinator.Tests.Storage;

/// <summary>Thrown at the chosen fault point; everything after it in the same "process" fails too.</summary>
public sealed class SimulatedCrashException(int point) : IOException($"simulated crash at fault point {point}");

/// <summary>
/// An in-memory <see cref="IWalFileSystem"/> that separates page cache from disk. Each file's content is
/// its durable prefix (what the last Flush covered) plus an unsynced tail. Every mutating call is a numbered
/// fault point: at <see cref="CrashAt"/> it throws and the machine is "down" (every later call throws) until
/// <see cref="Restart"/> makes the durable state, optionally plus a torn prefix of each unsynced tail, the
/// file contents. <see cref="FailFlushAt"/> instead makes that Flush throw an ordinary I/O error.
/// Simplification: names (create, rename, delete) are durable at once, as on a metadata-journaling FS.
/// </summary>
public sealed class FaultyFileSystem : IWalFileSystem
{
    private sealed class FileData
    {
        public List<byte> Content = new();
        public int DurableLength;
    }

    private readonly Lock _lock = new();
    private readonly Dictionary<string, FileData> _files = new(StringComparer.Ordinal);
    private readonly HashSet<string> _directories = new(StringComparer.Ordinal);
    private bool _crashed;

    /// <summary>Fault point number that crashes (1-based, counted from the last restart); 0 = never.</summary>
    public int CrashAt { get; set; }

    /// <summary>Flush number (1-based) that fails with an I/O error; 0 = never.</summary>
    public int FailFlushAt { get; set; }

    /// <summary>Fault points passed since the last restart.</summary>
    public int Points { get; private set; }

    public int Flushes { get; private set; }

    public bool Crashed { get { lock (_lock) return _crashed; } }

    /// <summary>Brings the machine back: unsynced bytes are lost, except the first
    /// <paramref name="keepTornFraction"/> of each file's unsynced tail.</summary>
    public void Restart(double keepTornFraction = 0)
    {
        lock (_lock)
        {
            foreach (var file in _files.Values)
            {
                var kept = file.DurableLength + (int)((file.Content.Count - file.DurableLength) * keepTornFraction);
                file.Content.RemoveRange(kept, file.Content.Count - kept);
                file.DurableLength = kept;
            }
            _crashed = false;
            CrashAt = 0;
            Points = 0;
        }
    }

    public IReadOnlyList<string> AllFiles() { lock (_lock) return _files.Keys.Order().ToList(); }

    public void CreateDirectory(string path) { lock (_lock) { ThrowIfDown(); _directories.Add(path); } }

    public IReadOnlyList<string> ListFiles(string directory)
    {
        lock (_lock)
        {
            ThrowIfDown();
            return _files.Keys.Where(p => Path.GetDirectoryName(p) == directory).ToList();
        }
    }

    public byte[] ReadAllBytes(string path)
    {
        lock (_lock)
        {
            ThrowIfDown();
            return _files.TryGetValue(path, out var f) ? f.Content.ToArray() : throw new FileNotFoundException(path);
        }
    }

    public IWalFile OpenAppend(string path)
    {
        lock (_lock)
        {
            if (!_files.ContainsKey(path)) { Point(); _files[path] = new FileData(); }
            else ThrowIfDown();
            return new FaultyFile(this, _files[path]);
        }
    }

    public void Rename(string source, string destination)
    {
        lock (_lock)
        {
            Point();
            _files[destination] = _files[source];
            _files.Remove(source);
        }
    }

    public void Delete(string path) { lock (_lock) { Point(); _files.Remove(path); } }

    public void FlushDirectory(string directory) { lock (_lock) Point(); }

    private void ThrowIfDown()
    {
        if (_crashed) throw new IOException("simulated machine is down");
    }

    private void Point()
    {
        ThrowIfDown();
        Points++;
        if (Points != CrashAt) return;
        _crashed = true;
        throw new SimulatedCrashException(Points);
    }

    private sealed class FaultyFile(FaultyFileSystem fs, FileData data) : IWalFile
    {
        public long Length { get { lock (fs._lock) return data.Content.Count; } }

        /// <summary>A crash here leaves the first half of the bytes in the page cache: a torn write.</summary>
        public void Append(ReadOnlySpan<byte> bytes)
        {
            lock (fs._lock)
            {
                try { fs.Point(); }
                catch (SimulatedCrashException) { data.Content.AddRange(bytes[..(bytes.Length / 2)].ToArray()); throw; }
                data.Content.AddRange(bytes.ToArray());
            }
        }

        public void Flush()
        {
            lock (fs._lock)
            {
                fs.Point();
                fs.Flushes++;
                if (fs.Flushes == fs.FailFlushAt) throw new IOException($"simulated fsync failure (flush {fs.Flushes})");
                data.DurableLength = data.Content.Count;
            }
        }

        public void Truncate(long length)
        {
            lock (fs._lock)
            {
                fs.Point();
                data.Content.RemoveRange((int)length, data.Content.Count - (int)length);
                data.DurableLength = (int)length;
            }
        }

        public void Dispose() { }
    }
}
