using System.Runtime.InteropServices;

namespace Coordinator.Bench.CheckPerf;

/// <summary>CPU seconds as Linux counts them: of a live process (/proc/PID/stat), of this process's reaped
/// children (getrusage), and of the whole machine's idle time (/proc/stat).</summary>
public static class CpuClock
{
    private const double TicksPerSecond = 100; // USER_HZ, fixed at 100 on Linux for /proc

    /// <summary>User + system CPU seconds of a live process; null when it is gone.</summary>
    public static double? OfProcess(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // After "pid (comm) ", field 3 (state) is index 0: utime is field 14, stime field 15.
            return (long.Parse(fields[11]) + long.Parse(fields[12])) / TicksPerSecond;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }

    /// <summary>User + system CPU seconds of every child this process has waited for (the runtime reaps the
    /// processes it starts): the difference across one child's run is that child's CPU.</summary>
    public static double OfReapedChildren()
    {
        if (getrusage(RusageChildren, out var usage) != 0) return double.NaN;
        return usage.UserSeconds + usage.UserMicros / 1e6 + usage.SystemSeconds + usage.SystemMicros / 1e6;
    }

    /// <summary>Idle + iowait CPU seconds of the whole machine since boot (all cores).</summary>
    public static double MachineIdle()
    {
        var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return (long.Parse(cpu[4]) + long.Parse(cpu[5])) / TicksPerSecond;
    }

    private const int RusageChildren = -1;

    [StructLayout(LayoutKind.Sequential)]
    private struct Rusage
    {
        public long UserSeconds, UserMicros, SystemSeconds, SystemMicros;
        private readonly long _maxrss, _ixrss, _idrss, _isrss, _minflt, _majflt, _nswap, _inblock, _oublock, _msgsnd, _msgrcv, _nsignals, _nvcsw, _nivcsw;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int getrusage(int who, out Rusage usage);
}
