using System.Diagnostics;

namespace Coordinator.Bench.Comparison;

/// <summary>What the numbers were measured on: cores, memory, CPU model, kernel, and the data directory's disk.</summary>
public static class MachineDescription
{
    public static IReadOnlyDictionary<string, string> Describe(string dataRoot)
    {
        Directory.CreateDirectory(dataRoot);
        var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name"))?.Split(':', 2)[1].Trim() ?? "?";
        var memKb = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:"))?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        var mount = Run("findmnt", "-no", "SOURCE,FSTYPE,OPTIONS", "-T", dataRoot);
        var device = mount.Split(' ', 2)[0];
        var blockName = Path.GetFileName(device);
        var rotational = Read($"/sys/class/block/{blockName}/queue/rotational") switch { "0" => "non-rotational", "1" => "rotational", _ => "?" };
        return new Dictionary<string, string>
        {
            ["nproc"] = Environment.ProcessorCount.ToString(),
            ["memory"] = memKb is null ? "?" : $"{long.Parse(memKb) / 1024 / 1024.0:F1} GiB",
            ["cpu"] = cpu,
            ["kernel"] = Read("/proc/sys/kernel/osrelease"),
            ["disk"] = $"{mount} ({rotational}, model {Read($"/sys/class/block/{blockName}/device/model")})",
            [".NET"] = Environment.Version.ToString(),
        };
    }

    private static string Read(string path) => File.Exists(path) ? File.ReadAllText(path).Trim() : "?";

    private static string Run(string file, params string[] args)
    {
        try
        {
            var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var a in args) psi.ArgumentList.Add(a);
            using var p = Process.Start(psi)!;
            var output = p.StandardOutput.ReadToEnd().Trim();
            p.WaitForExit();
            return output.Replace("  ", " ");
        }
        catch (Exception e)
        {
            return $"? ({e.Message})";
        }
    }
}
