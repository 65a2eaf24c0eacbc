using Xunit;
using Coordinator.Client;
using Coordinator.Tests.Integration.V2;

namespace Coordinator.Tests.Integration.Discovery;

/// <summary>--discovery: etcd's v2 discovery protocol against a registry served by a running Coordinator and by a
/// real etcd 3.4; a member beyond the size is refused ("cluster is full") and leaves no data dir.</summary>
public sealed class DiscoveryUrlTests
{
    [Fact]
    public async Task ThreeMembers_BootstrapFromARegistryOnAOneMemberCoordinator_AndAFourthIsRefusedAsFull()
    {
        using var registry = new TestCluster(1);
        await registry.StartAsync();
        var url = await NewTokenAsync(registry.Members[0].ClientUrl, size: 3);

        using var cluster = new TestCluster(0);
        foreach (var name in new[] { "a", "b", "c" }) cluster.AddMember(name, "--discovery", url);
        await cluster.StartAsync();
        await AssertServesAsync(cluster, ["a", "b", "c"]);

        // The registry lists the three, in registration order, as etcd's discovery writes them.
        using var curl = new V2Curl();
        var listed = (await curl.GetAsync(url)).Json.GetProperty("node").GetProperty("nodes").EnumerateArray()
            .Select(n => n.GetProperty("value").GetString()!).ToList();
        Assert.Equal(3, listed.Count);
        Assert.All(cluster.Members, m => Assert.Contains($"{m.Name}={m.PeerUrl}", listed));

        // A fourth: full (default --discovery-fallback=proxy, which we refuse with a message), no data dir.
        var fourth = cluster.AddMember("d", "--discovery", url);
        var output = await fourth.StartExpectingExitAsync();
        Assert.Contains("failed to join discovery cluster (discovery: cluster is full", output);
        Assert.Contains("--discovery-fallback=proxy (the default) is not supported", output);
        Assert.False(Directory.Exists(fourth.DataDir), "the refused member left " + fourth.DataDir);
        Assert.Equal(3, (await curl.GetAsync(url)).Json.GetProperty("node").GetProperty("nodes").GetArrayLength());
    }

    [Fact]
    public async Task ThreeMembers_BootstrapFromARegistryOnRealEtcd_AndAFourthIsRefusedAsFull_AsEtcdRefusesIt()
    {
        using var etcd = new EtcdProcess("--enable-v2");
        await etcd.WaitHealthyAsync();
        var url = await NewTokenAsync(etcd.ClientUrl, size: 3);

        using var cluster = new TestCluster(0);
        foreach (var name in new[] { "a", "b", "c" }) cluster.AddMember(name, "--discovery", url);
        await cluster.StartAsync();
        await AssertServesAsync(cluster, ["a", "b", "c"]);

        var fourth = cluster.AddMember("d", "--discovery", url, "--discovery-fallback", "exit");
        var output = await fourth.StartExpectingExitAsync();
        Assert.Contains("failed to join discovery cluster (discovery: cluster is full", output);
        Assert.DoesNotContain("proxy", output);
        Assert.False(Directory.Exists(fourth.DataDir), "the refused member left " + fourth.DataDir);

        // Real etcd, as a fourth member of the same token, fails with the same error.
        var etcdOutput = await DiscoveryProcesses.RunEtcdUntilExitAsync(["--discovery", url, "--discovery-fallback", "exit"], TimeSpan.FromSeconds(30));
        Assert.Contains("failed to join discovery cluster (discovery: cluster is full)", etcdOutput);
    }

    /// <summary>A fresh registry directory with its size, as one creates it on a registry cluster:
    /// PUT /v2/keys/_etcd/registry/TOKEN/_config/size value=N.</summary>
    internal static async Task<string> NewTokenAsync(string registryClientUrl, int size)
    {
        var url = $"{registryClientUrl}/v2/keys/_etcd/registry/{Guid.NewGuid():N}";
        await SetSizeAsync(url, size.ToString());
        return url;
    }

    internal static async Task SetSizeAsync(string url, string size)
    {
        using var curl = new V2Curl();
        var put = await curl.PutAsync(url + "/_config/size", "value=" + size);
        Assert.True(put.Status is 200 or 201, put.ToString());
    }

    /// <summary>etcdctl sees the members by their names, and a write through one is read through another.</summary>
    private static async Task AssertServesAsync(TestCluster cluster, string[] names)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        Etcdctl.Result list;
        do
        {
            list = await Etcdctl.RunAsync(cluster.Endpoints, "member", "list");
            if (names.All(n => list.Stdout.Contains($", {n}, "))) break;
            await Task.Delay(200); // names appear once each member has published them
        } while (DateTime.UtcNow < deadline);
        Assert.Equal(0, list.ExitCode);
        Assert.Equal(names.Length, list.Out.Split('\n').Length);
        foreach (var n in names) Assert.Contains($", {n}, ", list.Stdout);

        await using var client = new CoordinatorClient(cluster.Members[0].Endpoint);
        await client.PutAsync("discovered", "yes");
        var get = await Etcdctl.RunAsync(cluster.Members[^1].Endpoint, "get", "discovered", "--print-value-only");
        Assert.Equal("yes", get.Out);
    }
}
