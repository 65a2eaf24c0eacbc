using Xunit;

namespace Coordinator.Tests.Integration.V2;

/// <summary>Real etcd 3.4 (--enable-v2) and a Coordinator member, side by side, for differential tests.</summary>
public sealed class V2DifferentialFixture : IAsyncLifetime
{
    private readonly EtcdProcess _etcd = new("--enable-v2");
    private readonly TestCluster _coordinator = new(1);

    internal string EtcdUrl => _etcd.ClientUrl;
    internal string CoordinatorUrl => _coordinator.Members[0].ClientUrl;
    internal string CoordinatorOutput => _coordinator.Members[0].Output;

    public async Task InitializeAsync()
    {
        await _coordinator.StartPublishedAsync();
        await _etcd.WaitHealthyAsync();
    }

    public Task DisposeAsync()
    {
        _etcd.Dispose();
        _coordinator.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Runs the steps on etcd and on Coordinator in turn; every step must observe the same.</summary>
    internal async Task RunAsync(IEnumerable<V2Step> steps)
    {
        using var etcd = new V2Target("etcd", EtcdUrl);
        using var ours = new V2Target("coordinator", CoordinatorUrl);
        var differences = new List<string>();
        foreach (var step in steps)
        {
            var expected = await step.Run(etcd);
            var actual = await step.Run(ours);
            if (expected != actual) differences.Add($"step {Short(step.Name)}\n--- etcd:\n{Short(expected)}\n--- coordinator:\n{Short(actual)}");
        }
        Assert.True(differences.Count == 0, string.Join("\n\n", differences));
    }

    private static string Short(string text) => text.Length <= 1500 ? text : text[..700] + $" …({text.Length - 1400} more)… " + text[^700..];
}
