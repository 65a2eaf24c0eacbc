namespace Coordinator.Silo.Storage;

/// <summary>
/// Every file operation of the WAL and the snapshot store, so tests can inject faults and crashes.
/// Data written through <see cref="IWalFile.Append"/> is durable only after <see cref="IWalFile.Flush"/>;
/// a created, renamed or deleted name is durable only after <see cref="FlushDirectory"/>.
/// </summary>
public interface IWalFileSystem
{
    void CreateDirectory(string path);

    /// <summary>Full paths of the files directly in <paramref name="directory"/> (empty if it does not exist).</summary>
    IReadOnlyList<string> ListFiles(string directory);

    byte[] ReadAllBytes(string path);

    /// <summary>Opens <paramref name="path"/> for appending at its end, creating it when missing.</summary>
    IWalFile OpenAppend(string path);

    /// <summary>Atomically renames, replacing <paramref name="destination"/> if it exists.</summary>
    void Rename(string source, string destination);

    void Delete(string path);

    /// <summary>Makes creations, renames and deletions in <paramref name="directory"/> durable.</summary>
    void FlushDirectory(string directory);
}

/// <summary>A file open for appending. Owned by one writer; not thread-safe.</summary>
public interface IWalFile : IDisposable
{
    long Length { get; }

    void Append(ReadOnlySpan<byte> data);

    /// <summary>fdatasync: everything appended so far is on disk when this returns.</summary>
    void Flush();

    /// <summary>Cuts the file to <paramref name="length"/> bytes and makes that durable.</summary>
    void Truncate(long length);
}
