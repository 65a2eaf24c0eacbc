using System.Diagnostics;
using Coordinator.Client;

namespace Coordinator.Tests.Nemesis;

/// <summary>Watchers of the whole test prefix from revision 1, each preferring another member; the client resumes
/// a broken watch from its last revision, and a watcher moves to the new voters (from its last revision) when the
/// membership changes. Checked: every watcher delivers exactly the server's history — every
/// change once, in revision order, no gaps — and catches up with it once the faults stop.</summary>
internal sealed class WatchWorkload(NemesisCluster cluster, int watchers) : IWorkload
{
    public const string Prefix = "/nemesis/";
    private readonly List<List<ChangeEvent>> _received = Enumerable.Range(0, watchers).Select(_ => new List<ChangeEvent>()).ToList();
    private readonly List<Task> _tasks = new();
    private readonly List<Exception?> _failures = Enumerable.Repeat<Exception?>(null, watchers).ToList();
    private readonly int[] _moves = new int[watchers];
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
        for (var w = 0; w < watchers; w++)
        {
            var index = w;
            _tasks.Add(Task.Run(async () =>
            {
                try { await WatchAsync(index); }
                catch (Exception) when (_watching.IsCancellationRequested) { } // ended by the check (see WatchAsync)
                catch (Exception e) { _failures[index] = e; }
            }));
        }
        try { await Task.Delay(Timeout.Infinite, stop); } catch (OperationCanceledException) { }
    }

    /// <summary>One watcher: a watch over the current voters (the client itself resumes it on another member
    /// when a stream breaks); when the voters change, the watch moves to a client over the new ones and resumes
    /// from the last delivered revision + 1. Events of one revision are delivered together, so nothing of a
    /// revision is left behind by a move.</summary>
    private async Task WatchAsync(int index)
    {
        while (true)
        {
            var (voters, version) = cluster.Membership;
            await using var client = cluster.Client(FollowingClient.Rotate(voters, index));
            using var moved = CancellationTokenSource.CreateLinkedTokenSource(_watching.Token, cluster.MembershipChanged(version));
            long from;
            lock (_received) from = _received[index].Count == 0 ? 1 : _received[index][^1].Revision + 1;
            try
            {
                await foreach (var e in client.WatchAsync(KeyRange.Prefix(Prefix), fromRevision: from, ct: moved.Token))
                    lock (_received) _received[index].Add(ServerHistory.From(e));
            }
            // Cancelling a watch may surface as the stream's abort (Unavailable) rather than as a cancellation.
            catch (Exception) when (moved.IsCancellationRequested && !_watching.IsCancellationRequested)
            {
                lock (_received) _moves[index]++;
            }
        }
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
            return _received.Select((r, w) => $"watcher {w}: {r.Count} events, moved to new members {_moves[w]} times, last {r.LastOrDefault()}").ToList();
    }
}
