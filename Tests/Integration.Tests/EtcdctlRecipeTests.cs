using System.Diagnostics;
using Xunit;

namespace Coordinator.Tests.Integration;

/// <summary>etcdctl's own lock and election recipes (built from KV, Txn, Watch and Lease) against 3 members.</summary>
[Trait("Category", "Integration")]
public sealed class EtcdctlRecipeTests : IAsyncLifetime
{
    private readonly TestCluster _cluster = new(3);
    public Task InitializeAsync() => _cluster.StartAsync();
    public Task DisposeAsync() { _cluster.Dispose(); return Task.CompletedTask; }

    [Fact]
    public async Task Lock_ExcludesASecondHolderUntilReleased()
    {
        var first = await Etcdctl.RunAsync(_cluster.Endpoints, "lock", "mylock", "echo", "held-by-first");
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains("held-by-first", first.Out);

        // A holder that keeps the lock: the second one must wait until it is killed (its lease revoked on exit).
        var holder = Process.Start(new ProcessStartInfo("etcdctl", ["--endpoints=" + _cluster.Endpoints, "lock", "--ttl=5", "mylock"])
            { RedirectStandardOutput = true, RedirectStandardError = true })!;
        try
        {
            var key = await holder.StandardOutput.ReadLineAsync(); // prints the lock key once acquired
            Assert.StartsWith("mylock/", key);
            var waiter = Etcdctl.RunAsync(_cluster.Endpoints, "lock", "mylock", "echo", "second");
            await Task.Delay(1500);
            Assert.False(waiter.IsCompleted, "the second locker got the lock while the first held it");
            // SIGINT: etcdctl releases the lock (revokes its session lease); the waiter proceeds.
            using (var interrupt = Process.Start("kill", ["-INT", holder.Id.ToString()])) interrupt.WaitForExit();
            var second = await waiter;
            Assert.True(second.ExitCode == 0, second.ToString());
            Assert.Contains("second", second.Out);
        }
        finally { if (!holder.HasExited) holder.Kill(); }
    }

    [Fact]
    public async Task Elect_FirstCandidateLeads_ListenSeesIt()
    {
        var candidate = Process.Start(new ProcessStartInfo("etcdctl", ["--endpoints=" + _cluster.Endpoints, "elect", "myelection", "alice"])
            { RedirectStandardOutput = true, RedirectStandardError = true })!;
        try
        {
            var key = await candidate.StandardOutput.ReadLineAsync();
            Assert.StartsWith("myelection/", key);
            Assert.Equal("alice", await candidate.StandardOutput.ReadLineAsync());
            var listener = Process.Start(new ProcessStartInfo("etcdctl", ["--endpoints=" + _cluster.Endpoints, "elect", "-l", "myelection"])
                { RedirectStandardOutput = true, RedirectStandardError = true })!;
            try
            {
                var seenKey = await listener.StandardOutput.ReadLineAsync();
                Assert.StartsWith("myelection/", seenKey);
                Assert.Equal("alice", await listener.StandardOutput.ReadLineAsync());
            }
            finally { listener.Kill(); }
        }
        finally { candidate.Kill(); }
    }
}
