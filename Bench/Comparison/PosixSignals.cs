using System.Runtime.InteropServices;

namespace Coordinator.Bench.Comparison;

/// <summary>Sends SIGTERM, which .NET's Process API cannot do, so servers get a graceful stop before a restart.</summary>
internal static partial class PosixSignals
{
    private const int SigTerm = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    public static bool Terminate(int pid) => Kill(pid, SigTerm) == 0;
}
