using Xunit;

namespace Coordinator.Tests.Integration;

/// <summary>etcdctl 3.4 against one real member.</summary>
[Trait("Category", "Integration")]
public sealed class EtcdctlSingleMemberTests : IAsyncLifetime
{
    private readonly TestCluster _cluster = new(1);
    private string E => _cluster.Endpoints;

    public Task InitializeAsync() => _cluster.StartAsync();
    public Task DisposeAsync() { _cluster.Dispose(); return Task.CompletedTask; }

    private async Task<Etcdctl.Result> Ok(params string[] args)
    {
        var r = await Etcdctl.RunAsync(E, args);
        Assert.True(r.ExitCode == 0, $"etcdctl {string.Join(' ', args)}: {r}\nserver:\n{_cluster.Members[0].Output}");
        return r;
    }

    [Fact]
    public async Task PutGetDelete_WithPrefixFromKeyRangeLimitSortAndKeysOnly()
    {
        Assert.Equal("OK", (await Ok("put", "/app/a", "1")).Out);
        await Ok("put", "/app/b", "2");
        await Ok("put", "/app/c", "3");
        await Ok("put", "/other", "x");
        Assert.Equal("/app/a\n1", (await Ok("get", "/app/a")).Out);
        Assert.Equal("/app/a\n1\n/app/b\n2\n/app/c\n3", (await Ok("get", "/app/", "--prefix")).Out);
        Assert.Equal("/app/a\n/app/b", (await Ok("get", "/app/", "--prefix", "--limit=2", "--keys-only")).Out.Replace("\n\n", "\n"));
        Assert.Equal("/app/c\n3\n/app/b\n2\n/app/a\n1", (await Ok("get", "/app/", "--prefix", "--order=DESCEND")).Out);
        Assert.Equal("/app/b\n2\n/app/c\n3", (await Ok("get", "/app/b", "/app/d")).Out);
        Assert.Equal("/app/c\n3\n/other\nx", (await Ok("get", "/app/c", "--from-key")).Out);
        Assert.Equal("2", (await Ok("del", "/app/", "/app/c")).Out);
        Assert.Equal("/app/c\n3", (await Ok("get", "/app/", "--prefix")).Out);
    }

    [Fact]
    public async Task GetAtPastRevision_AndCompactedRevisionIsRefused()
    {
        await Ok("put", "k", "v1");
        var status = await Ok("put", "k", "v2", "-w", "json");
        var rev = long.Parse(System.Text.RegularExpressions.Regex.Match(status.Out, "\"revision\":(\\d+)").Groups[1].Value);
        Assert.Equal("k\nv1", (await Ok("get", "k", $"--rev={rev - 1}")).Out);
        await Ok("compaction", rev.ToString());
        var r = await Etcdctl.RunAsync(E, "get", "k", $"--rev={rev - 1}");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("required revision has been compacted", r.Stderr);
    }

    [Fact]
    public async Task PrevKv_IgnoreValue_AndEmptyKeyError()
    {
        await Ok("put", "pk", "old");
        Assert.Equal("OK\npk\nold", (await Ok("put", "pk", "new", "--prev-kv")).Out);
        await Ok("put", "pk", "--ignore-value");
        Assert.Equal("pk\nnew", (await Ok("get", "pk")).Out);
        var r = await Etcdctl.RunAsync(E, "put", "missing", "--ignore-value");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("key not found", r.Stderr);
    }

    [Fact]
    public async Task Txn_FromStdin()
    {
        await Ok("put", "flag", "on");
        var r = await Etcdctl.RunWithInputAsync(E, "value(\"flag\") = \"on\"\n\nput result yes\n\nput result no\n\n", "txn");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.StartsWith("SUCCESS", r.Out);
        Assert.Equal("result\nyes", (await Ok("get", "result")).Out);
    }

    [Fact]
    public async Task Lease_GrantKeepAliveTimeToLiveRevoke()
    {
        var grant = (await Ok("lease", "grant", "30")).Out; // "lease 694d7a0b8e2b2a04 granted with TTL(30s)"
        var id = grant.Split(' ')[1];
        await Ok("put", "leased", "v", "--lease=" + id);
        Assert.Contains(id, (await Ok("lease", "list")).Out);
        Assert.Contains("leased", (await Ok("lease", "timetolive", id, "--keys")).Out);
        Assert.Contains("keepalived with TTL(30)", (await Ok("lease", "keep-alive", "--once", id)).Out);
        await Ok("lease", "revoke", id);
        Assert.Equal("", (await Ok("get", "leased")).Out);
    }

    [Fact]
    public async Task EndpointStatusHealthAndMemberList()
    {
        Assert.Contains("is healthy", (await Etcdctl.RunAsync(E, "endpoint", "health")).Stderr + (await Etcdctl.RunAsync(E, "endpoint", "health")).Stdout);
        Assert.Contains("3.4.0", (await Ok("endpoint", "status")).Out);
        Assert.Contains("m1", (await Ok("member", "list")).Out);
    }

    /// <summary>Member lists carry client URLs as configured (http://host:port), and etcdctl --cluster dials
    /// exactly those: the whole URL arrives as the HTTP/2 :authority, which the client port must accept.</summary>
    [Fact]
    public async Task Cluster_flag_dials_the_member_lists_client_urls()
    {
        var url = "http://" + E.Split(',')[0];
        Assert.Contains(", " + url + ",", (await Ok("member", "list")).Out);
        var status = await Ok("endpoint", "status", "--cluster");
        Assert.StartsWith(url + ", ", status.Out);
        var health = await Etcdctl.RunAsync(E, "endpoint", "health", "--cluster");
        Assert.Equal(0, health.ExitCode);
        Assert.Contains(url + " is healthy", health.Stdout + health.Stderr);
        Assert.StartsWith(url + ", ", (await Ok("endpoint", "hashkv", "--cluster")).Out);
    }

    [Fact]
    public async Task Watch_SeesPutsFromPastRevision()
    {
        await Ok("put", "w/a", "1");
        await Ok("put", "w/a", "2");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var psi = new System.Diagnostics.ProcessStartInfo("etcdctl") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { "--endpoints=" + E, "watch", "w/", "--prefix", "--rev=1", "--prev-kv" }) psi.ArgumentList.Add(a);
        using var watch = System.Diagnostics.Process.Start(psi)!;
        try
        {
            var lines = new List<string>();
            while (lines.Count < 7 && !cts.IsCancellationRequested)
            {
                var line = await watch.StandardOutput.ReadLineAsync(cts.Token);
                if (line is null) break;
                lines.Add(line);
            }
            // PUT w/a 1, then PUT with prev kv (w/a 1) and new (w/a 2)
            Assert.Equal(["PUT", "w/a", "1", "PUT", "w/a", "1", "w/a"], lines.Take(7).ToArray());
        }
        finally { watch.Kill(); }
    }
}
