using System.Diagnostics;
using Coordinator.Client;
using Coordinator.Tests.Integration.Faults;
using Xunit;
using Xunit.Abstractions;

namespace Coordinator.Tests.Integration;

/// <summary>
/// Three members, each in its own network namespace. Clients are pinned to members (so most writes go through
/// a follower), doing put / get / CAS on five keys with unique values, while the current leader is cut off
/// from the other members again and again (clients still reach it). The recorded history is checked against
/// the server's own record of applied writes: nothing applied twice, every acknowledged write present, reads
/// never back in time.
/// </summary>
public sealed class LeaderPartitionTests(ITestOutputHelper output)
{
    private const int Members = 3, Clients = 8, Rounds = 5;
    private static readonly string[] Keys = Enumerable.Range(0, 5).Select(i => $"/register/k{i}").ToArray();

    [Fact]
    public async Task Writes_through_followers_take_effect_at_most_once_while_the_leader_is_cut_off()
    {
        Assert.True(NetworkLab.Unavailable() is null, NetworkLab.Unavailable());
        using var lab = new NetworkLab();
        var root = Directory.CreateTempSubdirectory("coordinator-partition-").FullName;
        var hosts = Enumerable.Range(1, Members).Select(lab.AddHost).ToArray();
        var initial = string.Join(",", hosts.Select((h, i) => $"m{i + 1}=http://{h.Address}:2380"));
        var members = hosts.Select((h, i) => new CoordinatorProcess($"m{i + 1}", 2379, 2380, Path.Combine(root, $"m{i + 1}"),
            ["--initial-cluster", initial, "--initial-cluster-token", "partition"],
            clientHost: h.Address, peerHost: h.Address, networkNamespace: h.Namespace)).ToList();
        try
        {
            members.ForEach(m => m.Start());
            await WaitForLeaderAsync(members, TimeSpan.FromSeconds(60));

            var history = new RegisterHistory();
            using var stop = new CancellationTokenSource();
            var clients = Enumerable.Range(0, Clients).Select(c => new CoordinatorClient(new CoordinatorClientOptions
            {
                Endpoints = [members[c % Members].Endpoint],
                RequestTimeout = TimeSpan.FromSeconds(4),
            })).ToList();
            var workers = clients.Select((client, c) => Task.Run(() => RunClientAsync(c, client, history, stop.Token))).ToList();

            for (var round = 0; round < Rounds; round++)
            {
                await Task.Delay(TimeSpan.FromSeconds(2));
                var leader = await WaitForLeaderAsync(members, TimeSpan.FromSeconds(30));
                var index = members.IndexOf(leader) + 1;
                output.WriteLine($"round {round}: cutting off leader {leader.Name}");
                lab.Isolate(index);
                await Task.Delay(TimeSpan.FromSeconds(2));
                lab.Reconnect(index);
            }
            await Task.Delay(TimeSpan.FromSeconds(4)); // late deliveries after the last heal land in the history
            await stop.CancelAsync();
            await Task.WhenAll(workers);

            var ops = history.Operations;
            var applied = await ReadAppliedWritesAsync(clients[0]);
            foreach (var client in clients) await client.DisposeAsync();
            var anomalies = RegisterChecker.Check(ops, applied);
            output.WriteLine($"{ops.Count} operations: {ops.Count(o => o.Outcome == OpOutcome.Ok)} ok, " +
                             $"{ops.Count(o => o.Outcome == OpOutcome.Unknown)} unknown; {applied.Count} writes applied");
            foreach (var a in anomalies.Take(20)) output.WriteLine("ANOMALY " + a);
            Assert.True(ops.Count(o => o.Outcome == OpOutcome.Ok && o.Kind != OpKind.Get) >= 100,
                "too few acknowledged writes to mean anything");
            Assert.Empty(anomalies);
        }
        catch
        {
            foreach (var m in members) output.WriteLine($"---- {m.Name}\n{Tail(m.Output, 60)}");
            throw;
        }
        finally
        {
            members.ForEach(m => m.Dispose());
            try { Directory.Delete(root, recursive: true); } catch { }
        }
    }

    private static async Task RunClientAsync(int c, CoordinatorClient client, RegisterHistory history, CancellationToken stop)
    {
        var random = new Random(c);
        var lastRead = new Dictionary<string, string>();
        for (var seq = 0; !stop.IsCancellationRequested; seq++)
        {
            var key = Keys[random.Next(Keys.Length)];
            var value = $"c{c}-{seq}";
            var roll = random.Next(10);
            var op = roll < 4 ? history.Invoke(c, OpKind.Put, key, value)
                : roll < 7 || !lastRead.ContainsKey(key) ? history.Invoke(c, OpKind.Get, key)
                : history.Invoke(c, OpKind.Cas, key, value, lastRead[key]);
            try
            {
                switch (op.Kind)
                {
                    case OpKind.Put:
                        op.Revision = (await client.PutAsync(key, value)).Header.Revision;
                        break;
                    case OpKind.Get:
                        var kv = await client.GetAsync(key);
                        op.Revision = kv?.ModRevision ?? 0;
                        op.ReadValue = kv?.Value.ToStringUtf8();
                        if (op.ReadValue is not null) lastRead[key] = op.ReadValue;
                        break;
                    case OpKind.Cas:
                        var txn = await client.Txn().If(Compare.Value(key) == op.Expected!).Then(Op.Put(key, value)).CommitAsync();
                        op.Succeeded = txn.Succeeded;
                        op.Revision = txn.Header.Revision;
                        if (txn.Succeeded) lastRead[key] = value;
                        break;
                }
                history.Complete(op, OpOutcome.Ok);
            }
            catch (Exception e)
            {
                // Any error may hide a write that still takes effect: the outcome is unknown.
                op.Error = e.GetType().Name + ": " + e.Message;
                history.Complete(op, OpOutcome.Unknown);
                await Task.Delay(50, CancellationToken.None);
            }
        }
    }

    /// <summary>Every put the cluster applied, from its own change history (nothing is compacted in this test).</summary>
    private static async Task<IReadOnlyList<AppliedWrite>> ReadAppliedWritesAsync(CoordinatorClient client)
    {
        var last = (await client.GetPrefixAsync("/register/")).Header.Revision;
        var writes = new List<AppliedWrite>();
        if (last <= 1) return writes;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await foreach (var e in client.WatchAsync(KeyRange.Prefix("/register/"), fromRevision: 1, ct: timeout.Token))
        {
            if (e.Type == WatchEventType.Put) writes.Add(new AppliedWrite(e.Key, e.Value, e.Revision));
            if (e.Revision >= last) break;
        }
        return writes;
    }

    private static async Task<CoordinatorProcess> WaitForLeaderAsync(IReadOnlyList<CoordinatorProcess> members, TimeSpan within)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < within)
        {
            var answers = new List<string>();
            foreach (var m in members)
            {
                try { answers.Add((await http.GetStringAsync(m.ClientUrl + "/debug/leader")).Trim()); }
                catch (Exception) { answers.Add(""); }
            }
            if (answers.All(a => a.Length > 0 && a != "0" && a == answers[0]) && members.FirstOrDefault(m => m.Name == answers[0]) is { } leader)
                return leader;
            await Task.Delay(100);
        }
        throw new TimeoutException("no agreed leader within " + within);
    }

    private static string Tail(string text, int lines) => string.Join("\n", text.Split('\n').TakeLast(lines));
}
