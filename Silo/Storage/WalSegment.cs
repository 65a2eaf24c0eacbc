using System.Globalization;

namespace Coordinator.Silo.Storage;

/// <summary>
/// One segment file, &lt;sequence&gt;.wal. Sequences of the segments present are consecutive; a segment
/// after the first starts with the snapshot marker and HardState of every group current when it was opened,
/// so a prefix of segments can be deleted without losing either.
/// </summary>
/// <param name="legacyGroup">Set for a segment written by the single-group WAL of earlier versions: the group
/// its records (without group ids) belong to. Such a segment is read and deleted, never written again.</param>
public sealed class WalSegment(ulong sequence, string path, ulong? legacyGroup = null)
{
    private const string Suffix = ".wal";

    public ulong Sequence => sequence;
    public string Path => path;
    public ulong? LegacyGroup => legacyGroup;

    public static string FileName(ulong sequence) =>
        sequence.ToString("D20", CultureInfo.InvariantCulture) + Suffix;

    public static WalSegment? TryParse(string path, ulong? legacyGroup = null)
    {
        var name = System.IO.Path.GetFileName(path);
        return name.EndsWith(Suffix, StringComparison.Ordinal) &&
               ulong.TryParse(name[..^Suffix.Length], NumberStyles.None, CultureInfo.InvariantCulture, out var seq)
            ? new WalSegment(seq, path, legacyGroup) : null;
    }
}
