using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Coordinator.Bench.Comparison;

/// <summary>
/// Remembers every server process compare mode starts and kills their process trees when asked, when the
/// benchmark exits (ProcessExit), or on SIGTERM/SIGHUP — so no etcd or coordinator outlives the run.
/// </summary>
public static class ProcessReaper
{
    private static readonly HashSet<Process> Live = [];
    private static readonly List<PosixSignalRegistration> Signals = [];

    static ProcessReaper()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
        foreach (var signal in new[] { PosixSignal.SIGTERM, PosixSignal.SIGHUP, PosixSignal.SIGQUIT })
            Signals.Add(PosixSignalRegistration.Create(signal, _ => KillAll()));
    }

    public static void Track(Process p)
    {
        lock (Live) Live.Add(p);
    }

    public static void Kill(Process p)
    {
        try
        {
            if (!p.HasExited)
            {
                p.Kill(entireProcessTree: true);
                p.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException) { /* already gone */ }
        lock (Live) Live.Remove(p);
    }

    public static void KillAll()
    {
        Process[] all;
        lock (Live) all = [.. Live];
        foreach (var p in all)
            Kill(p);
    }
}
