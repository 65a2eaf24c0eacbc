using Xunit;

namespace Coordinator.Tests.Integration;

/// <summary>etcdctl's own performance check (small load: 50 clients, 150 writes/s for 60 s) on 3 members.
/// Asserted here: every one of its writes succeeds and it measures all it checks. Whether the timings PASS
/// is speed, which belongs in the benchmark (`coordinator-bench check-perf`, BENCHMARKS.md), not in a test.</summary>
[Trait("Category", "Integration")]
public sealed class EtcdctlCheckPerfTests : IAsyncLifetime
{
    private readonly TestCluster _cluster = new(3, "--heartbeat-interval", "100", "--election-timeout", "1000");
    public Task InitializeAsync() => _cluster.StartAsync();
    public Task DisposeAsync() { _cluster.Dispose(); return Task.CompletedTask; }

    [Fact]
    public async Task CheckPerfSmallLoad_RunsWithoutErrors()
    {
        var r = await Etcdctl.RunAsync(_cluster.Endpoints, "check", "perf", "--load=s");
        var summary = r.Stdout[(r.Stdout.LastIndexOf('%') + 1)..];
        Assert.DoesNotContain("too many errors", summary);
        Assert.DoesNotContain("ERROR(", summary);
        Assert.Matches(@"(PASS|FAIL): Throughput (is|too low)", summary);
        Assert.Contains("Slowest request took", summary);
        Assert.Matches(@"Stddev (is|too high)", summary);
        Assert.Matches(@"\n(PASS|FAIL)\s*$", summary);
        Assert.True(r.ExitCode == 0 || summary.TrimEnd().EndsWith("FAIL"), summary + "\n" + r.Stderr);
    }
}
