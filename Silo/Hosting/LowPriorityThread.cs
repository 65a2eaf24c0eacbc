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

    /// <summary>Runs <paramref name="work"/> on a new low-priority thread; the task completes with its result.
    /// Threads inherit their creator's nice value, so the low-priority thread never completes the task
    /// itself (completing it may make the thread pool create a worker on the completing thread): a
    /// normal-priority parent waits for it and completes the task.</summary>
    public static Task<T> Run<T>(string name, Func<T> work)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var parent = new Thread(() =>
        {
            T result = default!;
            Exception? error = null;
            var child = new Thread(() =>
            {
                LowerCurrentThreadPriority();
                try { result = work(); }
                catch (Exception e) { error = e; }
            })
            {
                IsBackground = true,
                Name = name,
            };
            child.Start();
            child.Join();
            if (error is null) done.SetResult(result);
            else done.SetException(error);
        })
        {
            IsBackground = true,
            Name = name + " (waiter)",
        };
        parent.Start();
        return done.Task;
    }

    /// <summary>True when the calling thread's priority was lowered.</summary>
    private static bool LowerCurrentThreadPriority()
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
