using System.Diagnostics;
using Coordinator.Client;

namespace Coordinator.Tests.Nemesis;

/// <summary>Watchers of the whole test prefix from revision 1, each preferring another member; the client resumes
/// a broken watch from its last revision. Checked: every watcher delivers exactly the server's history — every
/// change once, in revision order, no gaps — and catches up with it once the faults stop.</summary>
internal sealed class WatchWorkload(NemesisCluster cluster, int watchers) : IWorkload
{
    public const string Prefix = "/nemesis/";
    private readonly List<List<ChangeEvent>> _received = Enumerable.Range(0, watchers).Select(_ => new List<ChangeEvent>()).ToList();
    private readonly List<Task> _tasks = new();
    private readonly List<Exception?> _failures = Enumerable.Repeat<Exception?>(null, watchers).ToList();
    private readonly CancellationTokenSource _watching = new();

    public string Name => "watch";

    /// <summary>Events delivered, over all watchers.</summary>
    public int CheckedOperations
    {
        get { lock (_received) return _received.Sum(r => r.Count); }
    }

    /// <summary>Starts the watchers and returns when <paramref name="stop"/> fires; they keep watching until
    /// <see cref="CheckAsync"/> has seen them catch up.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        var members = cluster.Current.ToList();
        for (var w = 0; w < watchers; w++)
        {
            var index = w;
            var order = members.Skip(w % members.Count).Concat(members.Take(w % members.Count)).ToList();
            _tasks.Add(Task.Run(async () =>
            {
                await using var client = cluster.Client(order);
                try
                {
                    await foreach (var e in client.WatchAsync(KeyRange.Prefix(Prefix), fromRevision: 1, ct: _watching.Token))
                        lock (_received) _received[index].Add(ServerHistory.From(e));
                }
                catch (OperationCanceledException) when (_watching.IsCancellationRequested) { }
                catch (Exception e) { _failures[index] = e; }
            }));
        }
        try { await Task.Delay(Timeout.Infinite, stop); } catch (OperationCanceledException) { }
    }

    public async Task<IReadOnlyList<string>> CheckAsync(ServerHistory history, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60) && !AllCaughtUp(history.LastRevision)) await Task.Delay(200, ct);
        await _watching.CancelAsync();
        await Task.WhenAll(_tasks);
        var anomalies = new List<string>();
        for (var w = 0; w < watchers; w++)
        {
            List<ChangeEvent> got;
            lock (_received) got = _received[w].ToList();
            if (_failures[w] is { } failure) anomalies.Add($"watcher {w} ended with {failure.GetType().Name}: {failure.Message}");
            anomalies.AddRange(WatchDeliveryChecker.Check($"watcher {w}", got, history));
        }
        return anomalies;
    }

    private bool AllCaughtUp(long revision)
    {
        lock (_received) return _received.All(r => r.Count > 0 && r[^1].Revision >= revision);
    }

    public IEnumerable<string> Describe()
    {
        lock (_received)
            return _received.Select((r, w) => $"watcher {w}: {r.Count} events, last {r.LastOrDefault()}").ToList();
    }
}
