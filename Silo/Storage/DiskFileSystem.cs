using Microsoft.Win32.SafeHandles;

namespace Coordinator.Silo.Storage;

/// <summary>The real <see cref="IWalFileSystem"/> over the OS file system.</summary>
public sealed class DiskFileSystem : IWalFileSystem
{
    public static readonly DiskFileSystem Instance = new();

    public void CreateDirectory(string path) => Directory.CreateDirectory(path);

    public IReadOnlyList<string> ListFiles(string directory) =>
        Directory.Exists(directory) ? Directory.GetFiles(directory) : [];

    public IReadOnlyList<string> ListDirectories(string directory) =>
        Directory.Exists(directory) ? Directory.GetDirectories(directory) : [];

    public byte[] ReadAllBytes(string path) => File.ReadAllBytes(path);

    public int ReadAt(string path, long offset, Span<byte> destination)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var total = 0;
        while (total < destination.Length)
        {
            var read = RandomAccess.Read(handle, destination[total..], offset + total);
            if (read == 0) break;
            total += read;
        }
        return total;
    }

    public IWalFile OpenAppend(string path) => new DiskFile(path, FileMode.OpenOrCreate, position: null);

    public IWalFile OpenAppendAt(string path, long position) => new DiskFile(path, FileMode.Open, position);

    public void Rename(string source, string destination) => File.Move(source, destination, overwrite: true);

    public void Delete(string path) => File.Delete(path);

    public void DeleteDirectory(string path)
    {
        if (Directory.Exists(path)) Directory.Delete(path);
    }

    public void FlushDirectory(string directory) => NativeMethods.FsyncDirectory(directory);

    /// <summary>Positional writes through one handle; <see cref="Length"/> is the append position.</summary>
    private sealed class DiskFile : IWalFile
    {
        private readonly SafeFileHandle _handle;

        public DiskFile(string path, FileMode mode, long? position)
        {
            _handle = File.OpenHandle(path, mode, FileAccess.ReadWrite, FileShare.Read);
            Length = position ?? RandomAccess.GetLength(_handle);
        }

        public long Length { get; private set; }

        public void Append(ReadOnlySpan<byte> data)
        {
            RandomAccess.Write(_handle, data, Length);
            Length += data.Length;
        }

        public void Flush() => RandomAccess.FlushToDisk(_handle);

        public void Truncate(long length)
        {
            RandomAccess.SetLength(_handle, length);
            RandomAccess.FlushToDisk(_handle);
            Length = length;
        }

        public void Dispose() => _handle.Dispose();
    }
}
