using System.Diagnostics;
using Coordinator.Client;
using Coordinator.Client.Tests.Fixtures;

namespace Coordinator.Recipes.Tests;

/// <summary>Lock and election basics, run against every server kind: Coordinator and real etcd 3.4
/// (derived classes pick the fixture). etcdctl's own lock must exclude ours on both.</summary>
public abstract class LockAndElectionBasicsTests : IDisposable
{
    private readonly IServerFixture _server;
    private readonly CoordinatorClient _client;

    protected LockAndElectionBasicsTests(IServerFixture server)
    {
        _server = server;
        _client = server.CreateClient();
    }

    public void Dispose() => _client.Dispose();

    [Fact]
    public async Task Lock_uses_etcd_layout_excludes_a_second_holder_and_fencing_tokens_increase()
    {
        var name = Servers.UniqueName("lock");
        var mutex = new DistributedLock(_client, name, new DistributedLockOptions { TimeToLive = TimeSpan.FromSeconds(5) });
        long firstToken;
        await using (var first = await mutex.AcquireAsync(TimeSpan.FromSeconds(10)))
        {
            Assert.Equal($"{name}/{first.LeaseId:x}", first.Key);
            Assert.Equal(first.FencingToken, (await _client.GetAsync(first.Key))!.CreateRevision);
            Assert.Null(await mutex.TryAcquireAsync(TimeSpan.FromMilliseconds(300)));
            await Assert.ThrowsAsync<TimeoutException>(() => mutex.AcquireAsync(TimeSpan.FromMilliseconds(200)));
            firstToken = first.FencingToken;
        }
        // The waiters that timed out left no key behind, and the released key is gone.
        Assert.Equal(0, (await _client.GetPrefixAsync(name + "/")).Count);
        await using var second = await mutex.AcquireAsync(TimeSpan.FromSeconds(5));
        Assert.True(second.FencingToken > firstToken);
    }

    [Fact]
    public async Task Waiter_gets_the_lock_when_the_holder_releases()
    {
        var mutex = new DistributedLock(_client, Servers.UniqueName("lock"), new DistributedLockOptions { TimeToLive = TimeSpan.FromSeconds(5) });
        var first = await mutex.AcquireAsync();
        var waiter = mutex.AcquireAsync(TimeSpan.FromSeconds(20));
        await Task.Delay(300);
        Assert.False(waiter.IsCompleted);
        await first.ReleaseAsync();
        await using var second = await waiter;
        Assert.True(second.FencingToken > first.FencingToken);
    }

    [Fact]
    public async Task Revoked_session_lease_fires_HandleLostToken()
    {
        var mutex = new DistributedLock(_client, Servers.UniqueName("lock"), new DistributedLockOptions { TimeToLive = TimeSpan.FromSeconds(3) });
        await using var handle = await mutex.AcquireAsync();
        var lost = new TaskCompletionSource();
        handle.HandleLostToken.Register(() => lost.TrySetResult());
        await _client.RevokeAsync(handle.LeaseId);
        // The keeper notices at its next renewal (TTL/3 = 1 s).
        await lost.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Null(await _client.GetAsync(handle.Key));
    }

    [Fact]
    public async Task MaxHoldTime_releases_automatically()
    {
        var mutex = new DistributedLock(_client, Servers.UniqueName("lock"), new DistributedLockOptions { MaxHoldTime = TimeSpan.FromMilliseconds(500) });
        var handle = await mutex.AcquireAsync();
        await using var next = await mutex.AcquireAsync(TimeSpan.FromSeconds(10));
        Assert.True(handle.HandleLostToken.IsCancellationRequested);
        Assert.True(next.FencingToken > handle.FencingToken);
    }

    [Fact]
    public async Task Etcdctl_lock_and_this_lock_exclude_each_other()
    {
        var name = Servers.UniqueName("shared");
        var mutex = new DistributedLock(_client, name, new DistributedLockOptions { TimeToLive = TimeSpan.FromSeconds(5) });

        // etcdctl holds: we cannot get it; after etcdctl exits (SIGINT revokes its session) we can.
        using (var holder = StartEtcdctl("lock", "--ttl=5", name))
        {
            var key = await holder.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20));
            Assert.StartsWith(name + "/", key);
            Assert.Null(await mutex.TryAcquireAsync(TimeSpan.FromMilliseconds(700)));
            using (var interrupt = Process.Start("kill", ["-INT", holder.Id.ToString()])) await interrupt.WaitForExitAsync();
            await using var ours = await mutex.AcquireAsync(TimeSpan.FromSeconds(15));

            // We hold: etcdctl waits until we release.
            using var waiter = StartEtcdctl("lock", name, "echo", "etcdctl-got-it");
            var line = waiter.StandardOutput.ReadLineAsync();
            await Task.Delay(1000);
            Assert.False(line.IsCompleted, "etcdctl got the lock while this client held it");
            await ours.ReleaseAsync();
            Assert.Equal("etcdctl-got-it", await line.WaitAsync(TimeSpan.FromSeconds(15)));
            await waiter.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15));
        }
    }

    [Fact]
    public async Task Election_campaign_observe_proclaim_resign()
    {
        var name = Servers.UniqueName("elect");
        var options = new ElectionOptions { TimeToLive = TimeSpan.FromSeconds(5) };
        var alice = new Election(_client, name, options);
        var bob = new Election(_client, name, options);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var seen = System.Threading.Channels.Channel.CreateUnbounded<string>();
        var observing = Task.Run(async () =>
        {
            try { await foreach (var v in new Election(_client, name).ObserveAsync(stop.Token)) seen.Writer.TryWrite(v); }
            catch (OperationCanceledException) { }
        });

        var leadership = await alice.CampaignAsync("alice", stop.Token);
        Assert.Equal($"{name}/{leadership.LeaseId:x}", leadership.Key);
        Assert.Equal("alice", await seen.Reader.ReadAsync(stop.Token));
        var bobCampaign = bob.CampaignAsync("bob", stop.Token);
        await alice.ProclaimAsync("alice-2", stop.Token);
        Assert.Equal("alice-2", await seen.Reader.ReadAsync(stop.Token));
        Assert.Equal("alice-2", await bob.LeaderAsync(stop.Token));
        Assert.False(bobCampaign.IsCompleted);

        await alice.ResignAsync(stop.Token);
        Assert.True(leadership.LostToken.IsCancellationRequested);
        await using var bobLeads = await bobCampaign.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(bobLeads.Revision > leadership.Revision);
        Assert.Equal("bob", await seen.Reader.ReadAsync(stop.Token));
        await stop.CancelAsync();
        await observing;
    }

    [Fact]
    public async Task Etcdctl_elect_sees_this_leader()
    {
        var name = Servers.UniqueName("elect");
        await using var leadership = await new Election(_client, name).CampaignAsync("from-dotnet");
        using var listener = StartEtcdctl("elect", "-l", name);
        Assert.Equal(leadership.Key, await listener.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(15)));
        Assert.Equal("from-dotnet", await listener.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(15)));
        listener.Kill();
    }

    private Process StartEtcdctl(params string[] args)
    {
        var psi = new ProcessStartInfo("etcdctl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.Environment["ETCDCTL_API"] = "3";
        psi.ArgumentList.Add("--endpoints=" + _server.EndpointList());
        foreach (var a in args) psi.ArgumentList.Add(a);
        return Process.Start(psi)!;
    }
}

[Trait("Category", "Integration")]
public sealed class CoordinatorLockAndElectionBasicsTests(CoordinatorServerFixture server)
    : LockAndElectionBasicsTests(server), IClassFixture<CoordinatorServerFixture>;

[Trait("Category", "Integration")]
public sealed class EtcdLockAndElectionBasicsTests(EtcdServerFixture server)
    : LockAndElectionBasicsTests(server), IClassFixture<EtcdServerFixture>;
