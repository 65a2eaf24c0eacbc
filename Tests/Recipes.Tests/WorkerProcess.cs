using System.Collections.Concurrent;
using System.Diagnostics;
using Coordinator.Tests.Integration;

namespace Coordinator.Recipes.Tests;

/// <summary>One Tests/Recipes.Worker process; its stdout lines are collected, stderr kept for failure messages.
/// Killed on dispose.</summary>
internal sealed class WorkerProcess : IDisposable
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stderr = new();
    private readonly System.Threading.Channels.Channel<string> _lines = System.Threading.Channels.Channel.CreateUnbounded<string>();

    public static string Dll => Path.Combine(RepoPaths.Root, "Tests", "Recipes.Worker", "bin", Configuration, "net10.0", "Coordinator.Recipes.Worker.dll");

    public WorkerProcess(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        _process = Process.Start(psi)!;
        _process.OutputDataReceived += (_, e) => { if (e.Data is null) _lines.Writer.TryComplete(); else _lines.Writer.TryWrite(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _stderr.Enqueue(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Stderr => string.Join("\n", _stderr);

    /// <summary>The next stdout line; throws when the process ended or nothing came within <paramref name="within"/>.</summary>
    public async Task<string> ReadLineAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        try { return await _lines.Reader.ReadAsync(timeout.Token); }
        catch (Exception e) when (e is OperationCanceledException or System.Threading.Channels.ChannelClosedException)
        {
            throw new TimeoutException($"worker printed nothing within {within} (exited: {_process.HasExited}); stderr:\n{Stderr}");
        }
    }

    /// <summary>Every stdout line until the process exits.</summary>
    public async Task<List<string>> ReadAllLinesAsync(CancellationToken ct)
    {
        var all = new List<string>();
        await foreach (var line in _lines.Reader.ReadAllAsync(ct)) all.Add(line);
        await _process.WaitForExitAsync(ct);
        return all;
    }

    public int ExitCode => _process.ExitCode;

    /// <summary>kill -9.</summary>
    public void Kill()
    {
        if (!_process.HasExited) { _process.Kill(entireProcessTree: true); _process.WaitForExit(10_000); }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }
}
