using Coordinator.Silo.Storage;

namespace Coordinator.Tests.Storage;

/// <summary>
/// Passes every call to an inner <see cref="IWalFileSystem"/>, counting the fsyncs of files (<see cref="Flushes"/>);
/// after <see cref="HoldNextFlush"/> the next fsync blocks until <see cref="Release"/>, so a test can queue
/// writes while the writer loop is inside an fsync, without timing.
/// </summary>
public sealed class GatedFileSystem(IWalFileSystem inner) : IWalFileSystem
{
    private readonly ManualResetEventSlim _held = new();
    private readonly ManualResetEventSlim _released = new(true);
    private int _holdNext;
    private long _flushes;

    public long Flushes => Interlocked.Read(ref _flushes);

    public void HoldNextFlush()
    {
        _released.Reset();
        _held.Reset();
        Volatile.Write(ref _holdNext, 1);
    }

    /// <summary>Waits until the held fsync has begun.</summary>
    public void WaitUntilHeld()
    {
        if (!_held.Wait(TimeSpan.FromSeconds(30))) throw new TimeoutException("no fsync was held");
    }

    public void Release() => _released.Set();

    private void BeforeFlush()
    {
        Interlocked.Increment(ref _flushes);
        if (Interlocked.Exchange(ref _holdNext, 0) == 0) return;
        _held.Set();
        _released.Wait();
    }

    public void CreateDirectory(string path) => inner.CreateDirectory(path);
    public IReadOnlyList<string> ListFiles(string directory) => inner.ListFiles(directory);
    public IReadOnlyList<string> ListDirectories(string directory) => inner.ListDirectories(directory);
    public byte[] ReadAllBytes(string path) => inner.ReadAllBytes(path);
    public int ReadAt(string path, long offset, Span<byte> destination) => inner.ReadAt(path, offset, destination);
    public IWalFile OpenAppend(string path) => new GatedFile(this, inner.OpenAppend(path));
    public IWalFile OpenAppendAt(string path, long position) => new GatedFile(this, inner.OpenAppendAt(path, position));
    public void Rename(string source, string destination) => inner.Rename(source, destination);
    public void Delete(string path) => inner.Delete(path);
    public void DeleteDirectory(string path) => inner.DeleteDirectory(path);
    public void FlushDirectory(string directory) => inner.FlushDirectory(directory);

    private sealed class GatedFile(GatedFileSystem owner, IWalFile file) : IWalFile
    {
        public long Length => file.Length;
        public void Append(ReadOnlySpan<byte> data) => file.Append(data);

        public void Flush()
        {
            owner.BeforeFlush();
            file.Flush();
        }

        public void Truncate(long length) => file.Truncate(length);
        public void Dispose() => file.Dispose();
    }
}
