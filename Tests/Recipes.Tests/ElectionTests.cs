using System.Diagnostics;
using Coordinator.Client;
using Coordinator.Client.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit.Abstractions;

namespace Coordinator.Recipes.Tests;

[Trait("Category", "Integration")]
public sealed class ElectionTests(CoordinatorServerFixture server, ITestOutputHelper output) : IClassFixture<CoordinatorServerFixture>
{
    [Fact]
    public async Task Three_campaigners_never_lead_at_the_same_time()
    {
        var name = Servers.UniqueName("elect");
        var leaders = 0;
        var maxLeaders = 0;
        var terms = new List<long>();
        async Task Campaigner(string id)
        {
            using var client = server.NewClient();
            var election = new Election(client, name, new ElectionOptions { TimeToLive = TimeSpan.FromSeconds(3) });
            for (var term = 0; term < 4; term++)
            {
                await using var leadership = await election.CampaignAsync(id).WaitAsync(TimeSpan.FromSeconds(60));
                var now = Interlocked.Increment(ref leaders);
                InterlockedMax(ref maxLeaders, now);
                lock (terms) terms.Add(leadership.Revision);
                Assert.Equal(id, await election.LeaderAsync());
                await Task.Delay(50);
                Interlocked.Decrement(ref leaders);
                // Disposing resigns: the next candidate in line takes over.
            }
        }
        await Task.WhenAll(Campaigner("a"), Campaigner("b"), Campaigner("c"));
        Assert.Equal(1, maxLeaders);
        Assert.Equal(12, terms.Count);
        Assert.Equal(terms.Count, terms.Distinct().Count());
    }

    [Fact]
    public async Task Killed_leader_process_is_replaced_within_the_ttl()
    {
        var name = Servers.UniqueName("elect");
        using var leaderProcess = new WorkerProcess("campaign", server.EndpointList(), name, "doomed", "2");
        Assert.StartsWith("leading " + name + "/", await leaderProcess.ReadLineAsync(TimeSpan.FromSeconds(30)));

        using var client = server.NewClient();
        var options = new ElectionOptions { TimeToLive = TimeSpan.FromSeconds(2) };
        var candidates = new[] { "b", "c" }.Select(id => (id, task: new Election(client, name, options).CampaignAsync(id))).ToArray();
        await Task.Delay(500);
        Assert.All(candidates, c => Assert.False(c.task.IsCompleted));
        Assert.Equal("doomed", await new Election(client, name).LeaderAsync());

        leaderProcess.Kill();
        var afterKill = Stopwatch.StartNew();
        var first = await Task.WhenAny(candidates.Select(c => c.task)).WaitAsync(TimeSpan.FromSeconds(10));
        output.WriteLine($"new leader {afterKill.ElapsedMilliseconds} ms after kill -9 (TTL 2 s)");
        await using var leadership = await first;
        Assert.True(afterKill.Elapsed < TimeSpan.FromSeconds(7));
        var other = candidates.Single(c => c.task != first).task;
        await Task.Delay(300);
        Assert.False(other.IsCompleted, "two leaders at once");
        await leadership.ResignAsync();
        await using var next = await other.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(next.Revision > leadership.Revision);
    }

    [Fact]
    public async Task Leadership_is_lost_when_its_key_is_deleted_by_someone_else()
    {
        using var client = server.NewClient();
        await using var leadership = await new Election(client, Servers.UniqueName("elect")).CampaignAsync("x");
        await client.DeleteAsync(leadership.Key);
        await Task.Delay(Timeout.Infinite, leadership.LostToken).ContinueWith(_ => { }).WaitAsync(TimeSpan.FromSeconds(10));
        await Assert.ThrowsAsync<SessionExpiredException>(() => leadership.ProclaimAsync("y"));
    }

    [Fact]
    public async Task Hosted_service_leads_reports_leaders_and_hands_over_when_stopped()
    {
        var name = Servers.UniqueName("svc");
        var events = new System.Collections.Concurrent.ConcurrentQueue<string>();
        ServiceProvider Build(string id) => new ServiceCollection()
            .AddCoordinatorClient(o => o.Endpoints = server.Endpoints.ToList())
            .AddLeaderElection(name, o =>
            {
                o.Value = id;
                o.TimeToLive = TimeSpan.FromSeconds(3);
                o.OnStartedLeading = async token => { events.Enqueue($"{id} started"); await Task.Delay(Timeout.Infinite, token); };
                o.OnStoppedLeading = () => events.Enqueue($"{id} stopped");
                o.OnNewLeader = leader => events.Enqueue($"{id} sees {leader}");
            })
            .BuildServiceProvider();
        await using var one = Build("one");
        await using var two = Build("two");
        var serviceOne = one.GetServices<IHostedService>().OfType<LeaderElectionService>().Single();
        var serviceTwo = two.GetServices<IHostedService>().OfType<LeaderElectionService>().Single();
        await serviceOne.StartAsync(default);
        await WaitUntil(() => serviceOne.IsLeader);
        await serviceTwo.StartAsync(default);
        await WaitUntil(() => events.Contains("two sees one"));
        Assert.False(serviceTwo.IsLeader);

        await serviceOne.StopAsync(default); // resigns
        await WaitUntil(() => serviceTwo.IsLeader);
        await WaitUntil(() => events.Contains("two sees two"));
        Assert.Contains("one started", events);
        Assert.Contains("one stopped", events);
        Assert.Contains("two started", events);
        await serviceTwo.StopAsync(default);
        Assert.Contains("two stopped", events);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(15)) throw new TimeoutException("condition not reached");
            await Task.Delay(20);
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen) { }
    }
}
