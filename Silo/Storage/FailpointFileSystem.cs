#if DEBUG
namespace Coordinator.Silo.Storage;

/// <summary>
/// Test builds only (compiled in Debug, absent from Release): the disk file system with fsync failpoints, so
/// fault tests can make a member's disk slow or failing while it runs. Enabled by
/// <c>COORDINATOR_FAILPOINTS=&lt;control file&gt;</c>; the file holds one of <c>fsync-delay-ms=N</c> (every fsync
/// takes N ms longer) or <c>fsync-fail</c> (every fsync throws, which stops the member as a dying disk does), or
/// nothing. It is read again at most every 100 ms.
/// </summary>
public sealed class FailpointFileSystem(IWalFileSystem inner, string controlFile) : IWalFileSystem
{
    private readonly object _gate = new();
    private long _nextCheckAt; // Environment.TickCount64 ms; 0: read at the first call
    private string _mode = "";

    public static IWalFileSystem? FromEnvironment() =>
        Environment.GetEnvironmentVariable("COORDINATOR_FAILPOINTS") is { Length: > 0 } path
            ? new FailpointFileSystem(DiskFileSystem.Instance, path) : null;

    private void BeforeFsync()
    {
        string mode;
        lock (_gate)
        {
            var now = Environment.TickCount64;
            if (now >= _nextCheckAt)
            {
                _nextCheckAt = now + 100;
                try { _mode = File.Exists(controlFile) ? File.ReadAllText(controlFile).Trim() : ""; }
                catch (IOException) { }
            }
            mode = _mode;
        }
        if (mode == "fsync-fail") throw new IOException("failpoint fsync-fail: fsync failed");
        if (mode.StartsWith("fsync-delay-ms=", StringComparison.Ordinal) && int.TryParse(mode["fsync-delay-ms=".Length..], out var ms))
            Thread.Sleep(ms);
    }

    public void CreateDirectory(string path) => inner.CreateDirectory(path);
    public IReadOnlyList<string> ListFiles(string directory) => inner.ListFiles(directory);
    public IReadOnlyList<string> ListDirectories(string directory) => inner.ListDirectories(directory);
    public byte[] ReadAllBytes(string path) => inner.ReadAllBytes(path);
    public int ReadAt(string path, long offset, Span<byte> destination) => inner.ReadAt(path, offset, destination);
    public IWalFile OpenAppend(string path) => new FailpointFile(this, inner.OpenAppend(path));
    public IWalFile OpenAppendAt(string path, long position) => new FailpointFile(this, inner.OpenAppendAt(path, position));
    public void Rename(string source, string destination) => inner.Rename(source, destination);
    public void Delete(string path) => inner.Delete(path);
    public void DeleteDirectory(string path) => inner.DeleteDirectory(path);

    public void FlushDirectory(string directory)
    {
        BeforeFsync();
        inner.FlushDirectory(directory);
    }

    private sealed class FailpointFile(FailpointFileSystem owner, IWalFile inner) : IWalFile
    {
        public long Length => inner.Length;
        public void Append(ReadOnlySpan<byte> data) => inner.Append(data);

        public void Flush()
        {
            owner.BeforeFsync();
            inner.Flush();
        }

        public void Truncate(long length) => inner.Truncate(length);
        public void Dispose() => inner.Dispose();
    }
}
#endif
