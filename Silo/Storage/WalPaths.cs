using System.Globalization;

namespace Coordinator.Silo.Storage;

/// <summary>
/// The on-disk layout: &lt;data-dir&gt;/member/{LOCK, wal/&lt;sequence&gt;.wal (the member's shared log),
/// snap/&lt;group&gt;/ (each group's snapshot files)}. A data dir written by the single-group WAL of earlier
/// versions also holds wal/&lt;group&gt;/&lt;sequence&gt;.wal: that group's older segments (see <see cref="SharedWriteAheadLog"/>).
/// </summary>
public static class WalPaths
{
    public static string MemberDirectory(string dataDir) => Path.Combine(dataDir, "member");
    public static string LockFile(string dataDir) => Path.Combine(MemberDirectory(dataDir), "LOCK");

    /// <summary>The shared log's segments.</summary>
    public static string WalDirectory(string dataDir) => Path.Combine(MemberDirectory(dataDir), "wal");

    /// <summary>Where the single-group WAL of earlier versions kept the segments of <paramref name="groupId"/>.</summary>
    public static string LegacyWalDirectory(string dataDir, ulong groupId) =>
        Path.Combine(WalDirectory(dataDir), GroupName(groupId));

    public static string SnapshotRoot(string dataDir) => Path.Combine(MemberDirectory(dataDir), "snap");

    public static string SnapshotDirectory(string dataDir, ulong groupId) => Path.Combine(SnapshotRoot(dataDir), GroupName(groupId));

    /// <summary>The group id a directory under wal/ or snap/ is named for; null for any other name.</summary>
    public static ulong? ParseGroupDirectory(string path) =>
        ulong.TryParse(Path.GetFileName(path), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    private static string GroupName(ulong groupId) => groupId.ToString(CultureInfo.InvariantCulture);
}
