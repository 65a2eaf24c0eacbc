using System.Runtime.InteropServices;
using Coordinator.Silo.Storage;

namespace Coordinator.Tests.Storage;

/// <summary>Thrown at the chosen fault point; everything after it in the same "process" fails too.</summary>
public sealed class SimulatedCrashException(int point) : IOException($"simulated crash at fault point {point}");

/// <summary>
/// An in-memory <see cref="IWalFileSystem"/> that separates page cache from disk. Each file's content is
/// what reads see; the writes since its last Flush are unsynced and remembered with the bytes they replaced,
/// so a crash can take them back: appending past the end (the file shrinks again) as well as overwriting
/// existing bytes, such as the zeros of a preallocated segment (they come back). Every mutating call is a
/// numbered fault point: at <see cref="CrashAt"/> it throws and the machine is "down" (every later call
/// throws) until <see cref="Restart"/> makes the durable state, optionally plus a torn prefix of each file's
/// unsynced writes (in write order), the file contents; <see cref="RestartWithSectorsOutOfOrder"/> instead
/// keeps a random subset of the sectors they changed. <see cref="FailFlushAt"/> makes that Flush throw an
/// ordinary I/O error.
/// Simplification: names (create, rename, delete) are durable at once, as on a metadata-journaling FS.
/// </summary>
public sealed class FaultyFileSystem : IWalFileSystem
{
    /// <summary>A write not yet flushed: where it went and what it replaced.</summary>
    private sealed record UnsyncedWrite(int Offset, int Length, int PreviousLength, byte[] Replaced);

    private sealed class FileData
    {
        public readonly List<byte> Content = new();
        public readonly List<UnsyncedWrite> Unsynced = new(); // in write order

        public void Write(int offset, ReadOnlySpan<byte> bytes)
        {
            if (offset > Content.Count) throw new InvalidOperationException($"write at {offset} past the end ({Content.Count})");
            var overlap = Math.Clamp(Content.Count - offset, 0, bytes.Length);
            Unsynced.Add(new UnsyncedWrite(offset, bytes.Length, Content.Count,
                overlap == 0 ? [] : CollectionsMarshal.AsSpan(Content).Slice(offset, overlap).ToArray()));
            if (overlap > 0) bytes[..overlap].CopyTo(CollectionsMarshal.AsSpan(Content).Slice(offset, overlap));
            Content.AddRange(bytes[overlap..]);
        }

        /// <summary>Each sector the unsynced writes changed either reaches the disk or not (<paramref name="written"/>
        /// decides), as on a disk that persists dirty sectors in any order. The file keeps its current length;
        /// a lost sector beyond the durable end reads as zeros.</summary>
        public void LoseUnsyncedSectors(int sectorSize, Func<bool> written)
        {
            var current = Content.ToArray();
            LoseUnsynced(0);
            var durable = Content.ToArray();
            Content.Clear();
            Content.AddRange(current);
            for (var start = 0; start < current.Length; start += sectorSize)
            {
                var end = Math.Min(current.Length, start + sectorSize);
                var before = durable.AsSpan(Math.Min(start, durable.Length), Math.Clamp(durable.Length - start, 0, end - start));
                if (current.AsSpan(start, end - start).SequenceEqual(before) || written()) continue;
                for (var i = start; i < end; i++) Content[i] = i < durable.Length ? durable[i] : (byte)0;
            }
        }

        /// <summary>Keeps the first <paramref name="keep"/> unsynced bytes (in write order) and takes back the rest.</summary>
        public void LoseUnsynced(long keep)
        {
            var kept = new int[Unsynced.Count];
            for (var i = 0; i < Unsynced.Count; i++)
            {
                kept[i] = (int)Math.Clamp(keep, 0, Unsynced[i].Length);
                keep -= kept[i];
            }
            for (var i = Unsynced.Count - 1; i >= 0; i--) // newest first: each undo sees the state its write left
            {
                var w = Unsynced[i];
                if (kept[i] == w.Length) break;
                for (var p = w.Offset + kept[i]; p < w.Offset + w.Replaced.Length; p++) Content[p] = w.Replaced[p - w.Offset];
                var length = Math.Max(w.PreviousLength, w.Offset + kept[i]);
                if (Content.Count > length) Content.RemoveRange(length, Content.Count - length);
            }
            Unsynced.Clear();
        }
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

    /// <summary>Bytes returned by <see cref="ReadAt"/> so far.</summary>
    public long BytesReadAt { get; private set; }

    /// <summary>Paths passed to <see cref="ReadAllBytes"/>, in call order.</summary>
    public List<string> WholeFileReads { get; } = new();

    /// <summary>Damages one byte as the disk would: in the durable and the cached content alike.</summary>
    public void FlipByte(string path, long offset)
    {
        lock (_lock) _files[path].Content[(int)offset] ^= 0x20;
    }

    /// <summary>Brings the machine back: unsynced writes are lost, except the first
    /// <paramref name="keepTornFraction"/> of each file's unsynced bytes.</summary>
    public void Restart(double keepTornFraction = 0)
    {
        lock (_lock)
        {
            foreach (var file in _files.Values)
                file.LoseUnsynced((long)(file.Unsynced.Sum(w => (long)w.Length) * keepTornFraction));
            _crashed = false;
            CrashAt = 0;
            Points = 0;
        }
    }

    /// <summary>Brings the machine back with each sector (<paramref name="sectorSize"/> bytes) touched by
    /// unsynced writes either persisted or not, at random: later sectors may survive where earlier ones did
    /// not. The file keeps its length; a sector not persisted beyond the old end reads as zeros.</summary>
    public void RestartWithSectorsOutOfOrder(Random random, int sectorSize)
    {
        lock (_lock)
        {
            foreach (var file in _files.Values) file.LoseUnsyncedSectors(sectorSize, () => random.Next(2) == 0);
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

    public IReadOnlyList<string> ListDirectories(string directory)
    {
        lock (_lock)
        {
            ThrowIfDown();
            return _directories.Concat(_files.Keys.Select(p => Path.GetDirectoryName(p)!))
                .Where(d => Path.GetDirectoryName(d) == directory).Distinct().ToList();
        }
    }

    public byte[] ReadAllBytes(string path)
    {
        lock (_lock)
        {
            ThrowIfDown();
            WholeFileReads.Add(path);
            return _files.TryGetValue(path, out var f) ? f.Content.ToArray() : throw new FileNotFoundException(path);
        }
    }

    public int ReadAt(string path, long offset, Span<byte> destination)
    {
        lock (_lock)
        {
            ThrowIfDown();
            if (!_files.TryGetValue(path, out var f)) throw new FileNotFoundException(path);
            var count = (int)Math.Clamp(f.Content.Count - offset, 0, destination.Length);
            if (count > 0) CollectionsMarshal.AsSpan(f.Content).Slice((int)offset, count).CopyTo(destination);
            BytesReadAt += Math.Max(count, 0);
            return count;
        }
    }

    public IWalFile OpenAppend(string path)
    {
        lock (_lock)
        {
            if (!_files.ContainsKey(path)) { Point(); _files[path] = new FileData(); }
            else ThrowIfDown();
            return new FaultyFile(this, _files[path], _files[path].Content.Count);
        }
    }

    public IWalFile OpenAppendAt(string path, long position)
    {
        lock (_lock)
        {
            ThrowIfDown();
            if (!_files.TryGetValue(path, out var data)) throw new FileNotFoundException(path);
            return new FaultyFile(this, data, position);
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

    public void DeleteDirectory(string path)
    {
        lock (_lock)
        {
            Point();
            if (_files.Keys.Any(p => Path.GetDirectoryName(p) == path)) throw new IOException($"directory {path} is not empty");
            _directories.Remove(path);
        }
    }

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

    private sealed class FaultyFile(FaultyFileSystem fs, FileData data, long position) : IWalFile
    {
        public long Length { get { lock (fs._lock) return position; } }

        /// <summary>A crash here leaves the first half of the bytes in the page cache: a torn write.</summary>
        public void Append(ReadOnlySpan<byte> bytes)
        {
            lock (fs._lock)
            {
                try { fs.Point(); }
                catch (SimulatedCrashException) { data.Write((int)position, bytes[..(bytes.Length / 2)]); throw; }
                data.Write((int)position, bytes);
                position += bytes.Length;
            }
        }

        public void Flush()
        {
            lock (fs._lock)
            {
                fs.Point();
                fs.Flushes++;
                if (fs.Flushes == fs.FailFlushAt) throw new IOException($"simulated fsync failure (flush {fs.Flushes})");
                data.Unsynced.Clear();
            }
        }

        /// <summary>Durable at once, like everything written before it.</summary>
        public void Truncate(long length)
        {
            lock (fs._lock)
            {
                fs.Point();
                data.Content.RemoveRange((int)length, data.Content.Count - (int)length);
                data.Unsynced.Clear();
                position = length;
            }
        }

        public void Dispose() { }
    }
}
