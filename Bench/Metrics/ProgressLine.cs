using Coordinator.Bench.Running;

namespace Coordinator.Bench.Metrics;

/// <summary>Prints elapsed time, completed operations, the last second's rate and errors to stderr once a second.</summary>
public sealed class ProgressLine : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public ProgressLine(string label, Func<long> completed, Func<long> errors, bool enabled)
    {
        _loop = enabled ? Loop(label, completed, errors) : Task.CompletedTask;
    }

    private async Task Loop(string label, Func<long> completed, Func<long> errors)
    {
        var start = Clock.NowNanos();
        long last = 0;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                var now = completed();
                var elapsed = (Clock.NowNanos() - start) / 1e9;
                Console.Error.WriteLine($"  [{label} {elapsed,5:F1}s] {now,9} ops  {now - last,8}/s  errors {errors()}");
                last = now;
            }
        }
        catch (OperationCanceledException) { }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await _loop;
        _stop.Dispose();
    }
}
