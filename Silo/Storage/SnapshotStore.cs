using System.Globalization;
using Coordinator.Grains.Raft;

namespace Coordinator.Silo.Storage;

/// <summary>A snapshot file on disk, named &lt;index&gt;-&lt;term&gt;.snap.</summary>
public readonly record struct SnapshotFile(ulong Index, ulong Term, string Path);

/// <summary>
/// Snapshot files of one group. A file appears under its final name only once its bytes are durable
/// (temp file, fsync, rename, directory fsync), so a listed file is complete unless the disk damaged it.
/// </summary>
public sealed class SnapshotStore(IWalFileSystem fs, string directory, Action<string>? log = null, SnapshotWritePace pace = default)
{
    private const string Suffix = ".snap";
    private const string TempSuffix = ".snap.tmp";

    public string Directory => directory;

    public string Save(Snapshot snapshot) =>
        Save(snapshot.Metadata, snapshot.Data.Length, stream => stream.Write(snapshot.Data.Span));

    /// <summary>Writes a snapshot whose <paramref name="dataLength"/> bytes of data <paramref name="writeData"/>
    /// streams, so the data never needs to exist in memory as a whole. Touches only this directory: may run on
    /// any thread, one save at a time. Returns the final path, durable.</summary>
    public string Save(SnapshotMetadata metadata, long dataLength, Action<Stream> writeData)
    {
        fs.CreateDirectory(directory);
        var final = Path.Combine(directory, FileName(metadata.Index, metadata.Term));
        var temp = final[..^Suffix.Length] + TempSuffix;
        var header = SnapshotFileCodec.EncodeHeader(metadata, dataLength);
        uint crc;
        using (var file = fs.OpenAppend(temp))
        {
            if (file.Length != 0) file.Truncate(0);
            file.Append(header);
            using (var data = new SnapshotDataStream(file, header.AsSpan(4), pace))
            {
                writeData(data);
                data.Flush();
                if (data.Written != dataLength)
                    throw new InvalidOperationException($"snapshot {metadata.Index}: {data.Written} data bytes written, {dataLength} announced");
                crc = data.Crc;
            }
            file.Flush();
        }
        using (var file = fs.OpenAppendAt(temp, 0))
        {
            Span<byte> crcBytes = stackalloc byte[4];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(crcBytes, crc);
            file.Append(crcBytes);
            file.Flush();
        }
        fs.Rename(temp, final);
        fs.FlushDirectory(directory);
        return final;
    }

    /// <summary>Deletes temp files a crash left behind mid-save. Call before any save starts.</summary>
    public void DeleteLeftovers()
    {
        foreach (var temp in fs.ListFiles(directory).Where(p => p.EndsWith(TempSuffix, StringComparison.Ordinal))) fs.Delete(temp);
    }

    /// <summary>Snapshot files, newest (highest index) first. Leftover temp files are not listed.</summary>
    public IReadOnlyList<SnapshotFile> List() =>
        fs.ListFiles(directory).Select(TryParse).OfType<SnapshotFile>()
            .OrderByDescending(f => f.Index).ThenByDescending(f => f.Term).ToList();

    public Snapshot Load(SnapshotFile file) => SnapshotFileCodec.Decode(fs.ReadAllBytes(file.Path), file.Path);

    /// <summary>Loads the file of snapshot (<paramref name="index"/>, <paramref name="term"/>); throws
    /// <see cref="FileNotFoundException"/> when it is gone.</summary>
    public Snapshot Load(ulong index, ulong term) => Load(new SnapshotFile(index, term, Path.Combine(directory, FileName(index, term))));

    /// <summary>The newest snapshot that <paramref name="accept"/> admits and that loads; a damaged one is
    /// logged and the next older tried. Null when none is admitted; throws when all admitted ones are damaged.</summary>
    public Snapshot? LoadNewest(Func<SnapshotFile, bool> accept)
    {
        WalCorruptException? lastError = null;
        foreach (var file in List().Where(accept))
        {
            try { return Load(file); }
            catch (WalCorruptException e)
            {
                log?.Invoke($"snapshot: {e.Message}; falling back to an older snapshot");
                lastError = e;
            }
        }
        if (lastError is not null) throw new WalCorruptException($"no usable snapshot left: {lastError.Message}");
        return null;
    }

    /// <summary>Deletes all but the newest <paramref name="retain"/> snapshots (not temp files: a save may be
    /// running on another thread).
    /// The file of <paramref name="inUse"/> (the snapshot the log starts from) is never deleted.</summary>
    public void Prune(int retain, SnapshotMetadata? inUse = null)
    {
        foreach (var old in List().Skip(Math.Max(1, retain)))
            if (inUse is null || old.Index != inUse.Index || old.Term != inUse.Term) fs.Delete(old.Path);
    }

    private static string FileName(ulong index, ulong term) =>
        string.Create(CultureInfo.InvariantCulture, $"{index:D20}-{term:D20}{Suffix}");

    private static SnapshotFile? TryParse(string path)
    {
        var name = Path.GetFileName(path);
        if (!name.EndsWith(Suffix, StringComparison.Ordinal)) return null;
        var parts = name[..^Suffix.Length].Split('-');
        return parts.Length == 2 &&
               ulong.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var index) &&
               ulong.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var term)
            ? new SnapshotFile(index, term, path) : null;
    }
}
