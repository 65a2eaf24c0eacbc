using System.Text;

namespace Coordinator.Silo.Storage;

/// <summary>
/// Exclusive ownership of a data directory: &lt;data-dir&gt;/member/LOCK held open with FileShare.None
/// (an flock on Unix, so a second open in this or another process fails). The holder's pid is written
/// beside it in LOCK.pid, readable while the lock is held.
/// </summary>
public sealed class DataDirLock : IDisposable
{
    private readonly FileStream _lock;

    private DataDirLock(FileStream lockFile) => _lock = lockFile;

    public static DataDirLock Acquire(string dataDir)
    {
        var path = WalPaths.LockFile(dataDir);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        FileStream stream;
        try { stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None); }
        catch (IOException e)
        {
            throw new IOException($"data dir {dataDir} is locked by pid {ReadHolderPid(path)} ({path})", e);
        }
        var pid = Encoding.ASCII.GetBytes(Environment.ProcessId + "\n");
        stream.SetLength(0);
        stream.Write(pid);
        stream.Flush(true);
        File.WriteAllBytes(PidFile(path), pid);
        return new DataDirLock(stream);
    }

    private static string PidFile(string lockPath) => lockPath + ".pid";

    private static string ReadHolderPid(string lockPath)
    {
        try { return File.ReadAllText(PidFile(lockPath)).Trim(); }
        catch (IOException) { return "unknown"; }
    }

    public void Dispose() => _lock.Dispose();
}
