using System.Runtime.InteropServices;

namespace Coordinator.Silo.Storage;

/// <summary>Directory fsync, which .NET cannot do: File.OpenHandle refuses directories on Unix.</summary>
internal static class NativeMethods
{
    private const int ORdOnly = 0;

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static extern int Fsync(int fd);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int fd);

    /// <summary>Makes the entries of <paramref name="directory"/> durable. No-op on Windows, where
    /// directories cannot be opened for flushing and NTFS journals metadata.</summary>
    public static void FsyncDirectory(string directory)
    {
        if (OperatingSystem.IsWindows()) return;
        var fd = Open(directory, ORdOnly);
        if (fd < 0) throw new IOException($"open({directory}) failed: errno {Marshal.GetLastPInvokeError()}");
        try
        {
            if (Fsync(fd) != 0) throw new IOException($"fsync({directory}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
        finally { Close(fd); }
    }
}
