using System.Globalization;

namespace Coordinator.Silo.Storage;

/// <summary>
/// One segment file, &lt;sequence&gt;.wal. Sequences of the segments present are consecutive; a segment
/// after the first starts with the snapshot marker and HardState current when it was opened, so a prefix of
/// segments can be deleted without losing either.
/// </summary>
public sealed class WalSegment(ulong sequence, string path)
{
    private const string Suffix = ".wal";

    public ulong Sequence => sequence;
    public string Path => path;

    /// <summary>Highest entry index in any entries record of this segment (0 if none): when the oldest kept
    /// snapshot covers it, the segment is not needed any more.</summary>
    public ulong MaxEntryIndex { get; set; }

    public static string FileName(ulong sequence) =>
        sequence.ToString("D20", CultureInfo.InvariantCulture) + Suffix;

    public static WalSegment? TryParse(string path)
    {
        var name = System.IO.Path.GetFileName(path);
        return name.EndsWith(Suffix, StringComparison.Ordinal) &&
               ulong.TryParse(name[..^Suffix.Length], NumberStyles.None, CultureInfo.InvariantCulture, out var seq)
            ? new WalSegment(seq, path) : null;
    }
}
