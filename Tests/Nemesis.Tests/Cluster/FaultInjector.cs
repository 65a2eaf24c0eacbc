using System.Diagnostics;

namespace Coordinator.Tests.Nemesis;

public enum FaultKind
{
    KillRestart,
    PauseResume,
    PartitionMinority,
    IsolateLeader,
    Bridge,
    OneWayLinks,
    SlowDisk,
    FailingDisk,
    LeaderTransfer,
    MembershipChurn,
}

/// <summary>
/// Injects one fault at a time from a seeded schedule: every kind comes up in each round, in a shuffled order,
/// held for a while, then undone, with a quiet gap after it. The schedule's choices (which kind, which member,
/// how long) come from the seed; what the cluster does meanwhile is the run's own, so a replay repeats the
/// schedule, not every interleaving. Nothing checked depends on the order of clocks between processes.
/// </summary>
internal sealed class FaultInjector(NemesisCluster cluster, int seed, Action<string> log)
{
    private readonly Random _random = new(seed);
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private int _churns;
    private int _maxChurns = 3;
    private readonly int _startingMembers = cluster.Current.Count;

    public Dictionary<FaultKind, int> Counts { get; } = Enum.GetValues<FaultKind>().ToDictionary(k => k, _ => 0);

    public async Task RunAsync(TimeSpan duration, CancellationToken ct)
    {
        var end = _clock.Elapsed + duration;
        // Three churns in a CI run, one per 50 s in a soak; each takes a new host (a /24 holds a few hundred).
        _maxChurns = Math.Clamp((int)(duration.TotalSeconds / 50), 3, 200);
        var bag = new Queue<FaultKind>();
        while (_clock.Elapsed < end && !ct.IsCancellationRequested)
        {
            if (bag.Count == 0)
                foreach (var k in Enum.GetValues<FaultKind>().OrderBy(_ => _random.Next())) bag.Enqueue(k);
            var kind = bag.Dequeue();
            var hold = TimeSpan.FromMilliseconds(800 + _random.Next(1700));
            try
            {
                if (await ApplyAsync(kind, hold, ct)) Counts[kind]++;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log($"{kind} could not be applied: {e.GetType().Name}: {e.Message}");
            }
            finally
            {
                cluster.HealAll();
            }
            await Task.Delay(TimeSpan.FromMilliseconds(500 + _random.Next(1000)), ct);
        }
    }

    private void Log(string line) => log($"{_clock.Elapsed.TotalSeconds,8:F2}s {line}");

    private NemesisCluster.Member Pick(IReadOnlyList<NemesisCluster.Member> from) => from[_random.Next(from.Count)];

    private List<NemesisCluster.Member> Running => cluster.Current.Where(m => m.Process.Running).ToList();

    /// <summary>The leader a third of the time (the interesting member), else anyone running.</summary>
    private async Task<NemesisCluster.Member> TargetAsync()
    {
        // Both draws always happen: the schedule's later choices never depend on whether a leader was agreed.
        var leaderFirst = _random.Next(3) == 0;
        var anyone = Pick(Running);
        return leaderFirst && await cluster.AgreedLeaderAsync() is { } leader ? leader : anyone;
    }

    /// <summary>Applies one fault and undoes what needs more than a heal; false when it was skipped.</summary>
    private async Task<bool> ApplyAsync(FaultKind kind, TimeSpan hold, CancellationToken ct)
    {
        switch (kind)
        {
            case FaultKind.KillRestart:
            {
                var m = await TargetAsync();
                Log($"kill -9 {m.Name}, restart after {hold.TotalMilliseconds:F0} ms");
                cluster.Kill(m);
                await Task.Delay(hold, ct);
                cluster.Restart(m);
                return true;
            }
            case FaultKind.PauseResume:
            {
                var m = await TargetAsync();
                Log($"SIGSTOP {m.Name} for {hold.TotalMilliseconds:F0} ms");
                cluster.Pause(m);
                await Task.Delay(hold, ct);
                cluster.Resume(m);
                return true;
            }
            case FaultKind.PartitionMinority:
            {
                var hosts = cluster.Current.Select(m => m.Host).OrderBy(_ => _random.Next()).ToList();
                var minority = hosts.Take((hosts.Count - 1) / 2).ToList();
                Log($"partition minority [{string.Join(",", minority.Select(h => $"n{h}"))}] from the rest for {hold.TotalMilliseconds:F0} ms");
                cluster.Lab.Partition(minority, hosts.Except(minority));
                await Task.Delay(hold, ct);
                return true;
            }
            case FaultKind.IsolateLeader:
            {
                var anyone = Pick(Running);
                var leader = await cluster.AgreedLeaderAsync() ?? anyone;
                Log($"isolate leader {leader.Name} for {hold.TotalMilliseconds:F0} ms");
                cluster.Lab.Isolate(leader.Host);
                await Task.Delay(hold, ct);
                return true;
            }
            case FaultKind.Bridge:
            {
                // Two halves that only talk through one member in the middle (Jepsen's bridge).
                var hosts = cluster.Current.Select(m => m.Host).OrderBy(_ => _random.Next()).ToList();
                var middle = hosts[0];
                var rest = hosts.Skip(1).ToList();
                var left = rest.Take(rest.Count / 2).ToList();
                var right = rest.Skip(rest.Count / 2).ToList();
                Log($"bridge [{string.Join(",", left.Select(h => $"n{h}"))}] - n{middle} - [{string.Join(",", right.Select(h => $"n{h}"))}] for {hold.TotalMilliseconds:F0} ms");
                cluster.Lab.Partition(left, right);
                await Task.Delay(hold, ct);
                return true;
            }
            case FaultKind.OneWayLinks:
            {
                var hosts = cluster.Current.Select(m => m.Host).ToList();
                var cuts = new List<string>();
                var blocks = 1 + _random.Next(hosts.Count);
                for (var i = 0; i < blocks; i++)
                {
                    var from = hosts[_random.Next(hosts.Count)];
                    var to = hosts[_random.Next(hosts.Count)];
                    if (from == to) continue;
                    cluster.Lab.BlockOneWay(from, to);
                    cuts.Add($"n{from}->n{to}");
                }
                Log($"one-way blocks {string.Join(" ", cuts)} for {hold.TotalMilliseconds:F0} ms");
                await Task.Delay(hold, ct);
                return true;
            }
            case FaultKind.SlowDisk:
            {
                var m = await TargetAsync();
                var ms = 50 + _random.Next(400);
                Log($"slow fsync (+{ms} ms) on {m.Name} for {hold.TotalMilliseconds:F0} ms");
                cluster.SetDisk(m, $"fsync-delay-ms={ms}");
                await Task.Delay(hold, ct);
                return true;
            }
            case FaultKind.FailingDisk:
            {
                // A failed fsync stops the member (it acknowledges nothing more); it comes back by a restart.
                var m = await TargetAsync();
                Log($"failing fsync on {m.Name} for {hold.TotalMilliseconds:F0} ms, then restart");
                cluster.SetDisk(m, "fsync-fail");
                await Task.Delay(hold, ct);
                cluster.Kill(m);
                cluster.SetDisk(m, null);
                cluster.Restart(m);
                return true;
            }
            case FaultKind.LeaderTransfer:
            {
                var pick = _random.Next(1 << 20);
                // Right after the previous fault's heal the members may still disagree: give them a few seconds.
                NemesisCluster.Member leader;
                try { leader = await cluster.WaitForLeaderAsync(TimeSpan.FromSeconds(5)); }
                catch (TimeoutException) { Log("leader transfer skipped: no agreed leader within 5 s"); return false; }
                var others = cluster.Membership.Voters.Where(m => m != leader && m.Process.Running).ToList();
                var target = others[pick % others.Count];
                Log($"move leader {leader.Name} -> {target.Name}");
                await using var client = cluster.Client([leader]);
                await client.MoveLeaderAsync(target.Id, ct);
                return true;
            }
            case FaultKind.MembershipChurn:
                return await ChurnAsync(ct);
        }
        throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
    }

    /// <summary>Replaces a member under load: a learner joins on a new host, is promoted once in sync, and a
    /// random starting member (the leader too; any older voter once none is left) is removed. Bounded: three
    /// churns per CI run, one per 50 s in a soak.</summary>
    private async Task<bool> ChurnAsync(CancellationToken ct)
    {
        if (_churns >= _maxChurns) { Log("membership churn skipped: enough churn for one run"); return false; }
        _churns++;
        await using var client = cluster.Client();
        var learner = await cluster.AddLearnerAsync(client, ct);
        Log($"added learner {learner.Name}");
        var promoted = false;
        for (var attempt = 0; attempt < 60 && !promoted; attempt++)
        {
            try
            {
                await client.MemberPromoteAsync(learner.Id, ct);
                promoted = true;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                await Task.Delay(500, ct);
            }
        }
        if (!promoted) throw new InvalidOperationException($"learner {learner.Name} was never promoted");
        cluster.MarkPromoted(learner);
        Log($"promoted {learner.Name}; clients follow (membership version {cluster.MembershipVersion})");
        // Over a run every starting member of a 3-member cluster is replaced: clients must follow the membership.
        var others = cluster.Membership.Voters.Where(m => m != learner).ToList();
        var starting = others.Where(m => m.Host <= _startingMembers).ToList();
        var victim = Pick(starting.Count > 0 ? starting : others);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await client.MemberRemoveAsync(victim.Id, ct);
                break;
            }
            catch (Exception e) when (e.Message.Contains("member not found"))
            {
                break; // an earlier attempt removed it; its answer was lost
            }
            catch (Exception e) when (e is not OperationCanceledException && attempt < 20)
            {
                await Task.Delay(500, ct);
            }
        }
        cluster.MarkRemoved(victim);
        Log($"removed {victim.Name}; clients follow (membership version {cluster.MembershipVersion})");
        return true;
    }
}
