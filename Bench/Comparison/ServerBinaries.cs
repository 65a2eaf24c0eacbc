using System.Diagnostics;

namespace Coordinator.Bench.Comparison;

/// <summary>Finds the binaries a comparison runs: installs Debian's etcd-server (etcd-client) when etcd (etcdctl) is missing, builds the Silo when coordinator is.</summary>
public static class ServerBinaries
{
    public static Task<string> EtcdAsync(string? configured, CancellationToken ct) =>
        FromDebianAsync(configured ?? "/usr/bin/etcd", "etcd-server", ct);

    public static Task<string> EtcdctlAsync(string? configured, CancellationToken ct) =>
        FromDebianAsync(configured ?? "/usr/bin/etcdctl", "etcd-client", ct);

    /// <summary>The binary at <paramref name="path"/>, installing the Debian package that ships it when it is missing.</summary>
    private static async Task<string> FromDebianAsync(string path, string package, CancellationToken ct)
    {
        if (File.Exists(path))
            return path;
        Console.Error.WriteLine($"{Path.GetFileName(path)} not found: apt-get install -y {package}");
        await RunAsync("apt-get", ["install", "-y", package], null, ct);
        return File.Exists(path) ? path : throw new FileNotFoundException($"{Path.GetFileName(path)} still missing after apt-get install {package}", path);
    }

    public static async Task<string> CoordinatorAsync(string? configured, CancellationToken ct)
    {
        if (configured is not null)
            return File.Exists(configured) ? configured : throw new FileNotFoundException("no coordinator binary", configured);
        var repo = FindRepositoryRoot() ?? throw new DirectoryNotFoundException("Coordinator.sln not found above " + AppContext.BaseDirectory + "; pass --coordinator PATH");
        var path = Path.Combine(repo, "Silo", "bin", "Release", "net10.0", "coordinator");
        if (File.Exists(path))
            return path;
        Console.Error.WriteLine("coordinator not built: dotnet build -c Release Silo/Coordinator.Silo.csproj");
        await RunAsync("dotnet", ["build", "-c", "Release", "Silo/Coordinator.Silo.csproj"], repo, ct);
        return File.Exists(path) ? path : throw new FileNotFoundException("coordinator still missing after the build", path);
    }

    private static string? FindRepositoryRoot()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Coordinator.sln")))
                    return dir.FullName;
        return null;
    }

    private static async Task RunAsync(string file, string[] args, string? workingDirectory, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(file) { UseShellExecute = false, WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var p = Process.Start(psi)!;
        await p.WaitForExitAsync(ct);
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited with {p.ExitCode}");
    }
}
