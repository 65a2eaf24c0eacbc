using Xunit;
using System.Net;
using System.Text;

namespace Coordinator.Tests.Integration.Discovery;

/// <summary>Bad discovery input: each start fails with etcd's error text naming what failed, exits, and leaves no
/// data dir. Where etcd 3.4 can be asked the same thing, it is, in the same test.</summary>
public sealed class DiscoveryBadInputTests
{
    [Fact]
    public async Task AnUnreachableDiscoveryUrl_FailsAfterItsRetries_NamingTheUrlAndTheError()
    {
        using var cluster = new TestCluster(0);
        var port = FreePorts.Take(1)[0];
        var url = $"http://127.0.0.1:{port}/v2/keys/_etcd/registry/nowhere";
        var member = cluster.AddMember("a", "--discovery", url, "--discovery-retries", "1");
        var output = await member.StartExpectingExitAsync();
        Assert.Contains("failed to join discovery cluster (discovery: too many retries", output);
        Assert.Contains($"http://127.0.0.1:{port}/v2/keys/_etcd/registry/nowhere/_config/size", output);
        Assert.Contains("Connection refused", output);
        Assert.Contains("retrying in 00:00:02", output); // one retry, after etcd's first backoff
        Assert.False(Directory.Exists(member.DataDir));
    }

    [Fact]
    public async Task AMalformedSize_IsABadSizeKey_AsInEtcd()
    {
        using var registry = new TestCluster(1);
        await registry.StartAsync();
        var url = await DiscoveryUrlTests.NewTokenAsync(registry.Members[0].ClientUrl, size: 3);
        await DiscoveryUrlTests.SetSizeAsync(url, "three");

        using var cluster = new TestCluster(0);
        var member = cluster.AddMember("a", "--discovery", url);
        var output = await member.StartExpectingExitAsync();
        Assert.Contains("failed to join discovery cluster (discovery: size key is bad", output);
        Assert.Contains("\"three\"", output);
        Assert.False(Directory.Exists(member.DataDir));

        var etcd = await DiscoveryProcesses.RunEtcdUntilExitAsync(["--discovery", url], TimeSpan.FromSeconds(30));
        Assert.Contains("discovery: size key is bad", etcd);
    }

    [Fact]
    public async Task ATokenWithoutSize_IsSizeKeyNotFound_AsInEtcd()
    {
        using var registry = new TestCluster(1);
        await registry.StartAsync();
        var url = $"{registry.Members[0].ClientUrl}/v2/keys/_etcd/registry/{Guid.NewGuid():N}";

        using var cluster = new TestCluster(0);
        var member = cluster.AddMember("a", "--discovery", url);
        var output = await member.StartExpectingExitAsync();
        Assert.Contains("failed to join discovery cluster (discovery: size key not found", output);
        Assert.False(Directory.Exists(member.DataDir));

        var etcd = await DiscoveryProcesses.RunEtcdUntilExitAsync(["--discovery", url], TimeSpan.FromSeconds(30));
        // etcd 3.4 prints its client's raw "Key not found" here rather than its own sentinel text.
        Assert.Contains("Key not found", etcd);
    }

    [Fact]
    public async Task AUrlThatIsNoV2KeysApi_IsABadDiscoveryEndpoint()
    {
        var port = FreePorts.Take(1)[0];
        using var web = new HttpListener();
        web.Prefixes.Add($"http://127.0.0.1:{port}/");
        web.Start();
        var serving = Task.Run(async () =>
        {
            while (web.IsListening)
            {
                HttpListenerContext context;
                try { context = await web.GetContextAsync(); } catch { return; }
                var body = Encoding.UTF8.GetBytes("<html><body>not etcd</body></html>");
                context.Response.ContentType = "text/html";
                await context.Response.OutputStream.WriteAsync(body);
                context.Response.Close();
            }
        });

        using var cluster = new TestCluster(0);
        var member = cluster.AddMember("a", "--discovery", $"http://127.0.0.1:{port}/v2/keys/_etcd/registry/x");
        var output = await member.StartExpectingExitAsync();
        Assert.Contains("failed to join discovery cluster (discovery: bad discovery endpoint", output);
        Assert.Contains("not etcd", output);
        Assert.False(Directory.Exists(member.DataDir));
        web.Stop();
    }

    [Fact]
    public async Task TwoMembersWithOneName_FoundDuplicateName()
    {
        using var registry = new TestCluster(1);
        await registry.StartAsync();
        var url = await DiscoveryUrlTests.NewTokenAsync(registry.Members[0].ClientUrl, size: 2);

        using var cluster = new TestCluster(0);
        var first = cluster.AddMember("same", "--discovery", url, "--data-dir", Path.Combine(cluster.Root, "one"));
        var second = cluster.AddMember("same", "--discovery", url, "--data-dir", Path.Combine(cluster.Root, "two"));
        var outputs = await Task.WhenAll(first.StartExpectingExitAsync(), second.StartExpectingExitAsync());
        foreach (var output in outputs) Assert.Contains("failed to join discovery cluster (discovery: found duplicate name", output);
        Assert.False(Directory.Exists(Path.Combine(cluster.Root, "one")));
        Assert.False(Directory.Exists(Path.Combine(cluster.Root, "two")));
    }

    [Theory]
    [InlineData("--initial-cluster", "a=http://127.0.0.1:2380")]
    [InlineData("--discovery-srv", "example.test")]
    public async Task DiscoveryWithAnotherBootstrapFlag_IsRefusedWithEtcdsText(string flag, string value)
    {
        using var cluster = new TestCluster(0);
        var member = cluster.AddMember("a", "--discovery", "http://127.0.0.1:1/v2/keys/_etcd/registry/x", flag, value);
        var output = await member.StartExpectingExitAsync();
        const string text = "multiple discovery or bootstrap flags are set. Choose one of \"initial-cluster\", \"discovery\" or \"discovery-srv\"";
        Assert.Contains(text, output);
        Assert.False(Directory.Exists(member.DataDir));

        var etcd = await DiscoveryProcesses.RunEtcdUntilExitAsync(["--discovery", "http://127.0.0.1:1/v2/keys/_etcd/registry/x", flag, value], TimeSpan.FromSeconds(30));
        Assert.Contains(text, etcd.Replace("\\", "")); // etcd's JSON log escapes the quotes
    }
}
