using System.Globalization;

namespace Coordinator.Silo.Storage;

/// <summary>The on-disk layout: &lt;data-dir&gt;/member/{LOCK, wal/&lt;group&gt;/, snap/&lt;group&gt;/}.</summary>
public static class WalPaths
{
    public static string MemberDirectory(string dataDir) => Path.Combine(dataDir, "member");
    public static string LockFile(string dataDir) => Path.Combine(MemberDirectory(dataDir), "LOCK");

    public static string WalDirectory(string dataDir, ulong groupId) =>
        Path.Combine(MemberDirectory(dataDir), "wal", groupId.ToString(CultureInfo.InvariantCulture));

    public static string SnapshotDirectory(string dataDir, ulong groupId) =>
        Path.Combine(MemberDirectory(dataDir), "snap", groupId.ToString(CultureInfo.InvariantCulture));
}
