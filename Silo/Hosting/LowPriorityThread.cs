using System.Runtime.InteropServices;

namespace Coordinator.Silo.Hosting;

/// <summary>
/// Runs one long piece of background work (a snapshot's encoding and write) on its own thread at a lower
/// scheduling priority, so that when the cores are busy the work yields them to request handling and the log
/// writer instead of taking a thread-pool thread's fair share. On an idle machine it runs at full speed.
/// On Linux the thread's nice value is raised to <see cref="Nice"/> (per-thread, no privilege needed);
/// elsewhere <see cref="ThreadPriority.BelowNormal"/> is requested.
/// </summary>
internal static class LowPriorityThread
{
    /// <summary>Nice 10 weighs ~1/10 of a normal thread: slowed under load, never starved.</summary>
    public const int Nice = 10;

    public static Task<T> Run<T>(string name, Func<T> work)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            LowerCurrentThreadPriority();
            try { done.SetResult(work()); }
            catch (Exception e) { done.SetException(e); }
        })
        {
            IsBackground = true,
            Name = name,
        };
        thread.Start();
        return done.Task;
    }

    /// <summary>True when the calling thread's priority was lowered (tests read it back).</summary>
    public static bool LowerCurrentThreadPriority()
    {
        if (!OperatingSystem.IsLinux())
        {
            try { Thread.CurrentThread.Priority = ThreadPriority.BelowNormal; return true; }
            catch (PlatformNotSupportedException) { return false; }
        }
        try { return SetPriority(PrioProcess, GetTid(), Nice) == 0; }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException) { return false; }
    }

    /// <summary>The calling thread's nice value on Linux (null elsewhere or when it cannot be read).</summary>
    public static int? CurrentThreadNice()
    {
        if (!OperatingSystem.IsLinux()) return null;
        try
        {
            Marshal.SetLastPInvokeError(0);
            var nice = GetPriority(PrioProcess, GetTid());
            return nice == -1 && Marshal.GetLastPInvokeError() != 0 ? null : nice;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException) { return null; }
    }

    // PRIO_PROCESS with a thread id addresses that one thread on Linux.
    private const int PrioProcess = 0;

    [DllImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    private static extern int SetPriority(int which, int who, int priority);

    [DllImport("libc", EntryPoint = "getpriority", SetLastError = true)]
    private static extern int GetPriority(int which, int who);

    [DllImport("libc", EntryPoint = "gettid")]
    private static extern int GetTid();
}
