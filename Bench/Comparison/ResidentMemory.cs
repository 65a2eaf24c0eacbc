namespace Coordinator.Bench.Comparison;

/// <summary>A process's resident set size, from VmRSS in /proc/&lt;pid&gt;/status.</summary>
public static class ResidentMemory
{
    public static double MiB(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:"));
        var kb = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
        return kb / 1024.0;
    }
}
