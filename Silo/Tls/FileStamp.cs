namespace Coordinator.Silo.Tls;

/// <summary>What tells a changed file from an unchanged one without reading it: its last write time and length
/// (a missing file has a stamp of its own). Rotation tools replace or rewrite files; either changes the stamp.</summary>
internal readonly record struct FileStamp(DateTime LastWriteUtc, long Length)
{
    public static FileStamp Of(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? new FileStamp(info.LastWriteTimeUtc, info.Length) : new FileStamp(DateTime.MinValue, -1);
    }
}
