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

    /// <summary>Full paths of the directories directly in <paramref name="directory"/> (empty if it does not exist).</summary>
    IReadOnlyList<string> ListDirectories(string directory);

    byte[] ReadAllBytes(string path);

    /// <summary>Reads up to <paramref name="destination"/>.Length bytes at <paramref name="offset"/> of
    /// <paramref name="path"/>; returns how many were read (fewer only where the file ends). Sees everything
    /// written through an <see cref="IWalFile"/>, flushed or not; safe beside a writer appending elsewhere.</summary>
    int ReadAt(string path, long offset, Span<byte> destination);

    /// <summary>Opens <paramref name="path"/> for appending at its end, creating it when missing.</summary>
    IWalFile OpenAppend(string path);

    /// <summary>Opens the existing file <paramref name="path"/> for appending at <paramref name="position"/>
    /// (at most its size): appends overwrite what lies there, such as the zeros of a preallocated segment.</summary>
    IWalFile OpenAppendAt(string path, long position);

    /// <summary>Atomically renames, replacing <paramref name="destination"/> if it exists.</summary>
    void Rename(string source, string destination);

    void Delete(string path);

    /// <summary>Deletes the empty directory <paramref name="path"/>, if it exists.</summary>
    void DeleteDirectory(string path);

    /// <summary>Makes creations, renames and deletions in <paramref name="directory"/> durable.</summary>
    void FlushDirectory(string directory);
}

/// <summary>A file open for appending. Owned by one writer; not thread-safe.</summary>
public interface IWalFile : IDisposable
{
    /// <summary>The append position: the end of the data written so far (or found at open), which is below
    /// the file's size when the file was preallocated.</summary>
    long Length { get; }

    /// <summary>Writes <paramref name="data"/> at <see cref="Length"/> and advances it.</summary>
    void Append(ReadOnlySpan<byte> data);

    /// <summary>fdatasync: everything appended so far is on disk when this returns.</summary>
    void Flush();

    /// <summary>Cuts the file to <paramref name="length"/> bytes and makes that durable.</summary>
    void Truncate(long length);
}
