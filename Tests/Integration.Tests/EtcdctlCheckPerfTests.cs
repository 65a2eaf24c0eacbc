using Xunit;

namespace Coordinator.Tests.Integration;

/// <summary>etcdctl's own performance check (small load: 50 clients, 150 writes/s for 60 s) on 3 members.</summary>
[Trait("Category", "Integration")]
public sealed class EtcdctlCheckPerfTests : IAsyncLifetime
{
    private readonly TestCluster _cluster = new(3, "--heartbeat-interval", "100", "--election-timeout", "1000");
    public Task InitializeAsync() => _cluster.StartAsync();
    public Task DisposeAsync() { _cluster.Dispose(); return Task.CompletedTask; }

    [Fact]
    public async Task CheckPerfSmallLoad_Passes()
    {
        var r = await Etcdctl.RunAsync(_cluster.Endpoints, "check", "perf", "--load=s");
        var summary = r.Stdout[(r.Stdout.LastIndexOf('%') + 1)..];
        Assert.True(r.ExitCode == 0, summary + "\n" + r.Stderr);
        Assert.EndsWith("PASS", summary.TrimEnd());
    }
}
